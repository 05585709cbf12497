using BenchmarkDotNet.Running;

if (args is ["--cpu"])
{
    Insightly.Unified.Benchmarks.ThreadCpu.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Insightly.Unified.Benchmarks.MappingBenchmarks).Assembly).Run(args);
