using MLRFNet.Benchmarks;

return BenchRun.Invoke(BenchCommand.Create(Console.Out, Console.Error).Parse(args), Console.Error);
