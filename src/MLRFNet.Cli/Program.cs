using System.CommandLine;
using MLRFNet.Cli.Commands;

var root = new RootCommand("MLRFNet.Edge: train, export, quantize and serve the MLRFNet chest X-ray classifier.");
root.Add(InfoCommand.Create(Console.Out, Console.Error));
return root.Parse(args).Invoke();
