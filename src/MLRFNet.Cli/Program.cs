using System.CommandLine;
using MLRFNet.Cli.Commands;

var root = new RootCommand("mlrfnet: train, evaluate, export and quantize MLRFNet chest X-ray classifiers.");
foreach (var command in CommandRegistry.All) root.Subcommands.Add(command);
return CliRun.Invoke(root.Parse(args), Console.Error);
