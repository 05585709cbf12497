using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Insightly.Unified.Benchmarks;

/// <summary>
/// <c>--cpu</c>: the mapping benchmarks timed by this thread's own CPU clock (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>), which
/// other processes on a shared machine do not inflate the way they inflate wall-clock time; allocations per contact
/// from the runtime's own counter. A check beside BenchmarkDotNet, not a replacement.
/// </summary>
public static class ThreadCpu
{
    public static void Run()
    {
        var mapping = new MappingBenchmarks();
        mapping.Setup();
        var cases = new (string Name, Func<long> Run)[]
        {
            ("Insightly contact → unified JSON, with remote_data", mapping.ToUnified),
            ("Insightly contact → unified JSON, include_remote_data=false", mapping.ToUnifiedWithoutRemoteData),
            ("unified PATCH body → Insightly body", () => mapping.FromUnified()),
        };
        Console.WriteLine("| per contact (500 a page, thread CPU clock) | median CPU | best CPU | allocated |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, run) in cases)
        {
            for (var i = 0; i < 200; i++)
            {
                run();
            }

            var samples = new List<double>();
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            const int Rounds = 200;
            for (var i = 0; i < Rounds; i++)
            {
                var start = Now();
                run();
                samples.Add((Now() - start) / 500.0);
            }

            var allocated = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)Rounds / 500;
            samples.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {samples[samples.Count / 2] / 1000:N2} µs | {samples[0] / 1000:N2} µs | {allocated:N0} B |"));
        }

        mapping.Cleanup();
    }

    private static long Now()
    {
        if (ClockGetTime(3 /* CLOCK_THREAD_CPUTIME_ID */, out var time) != 0)
        {
            return Stopwatch.GetTimestamp() * (1_000_000_000L / Stopwatch.Frequency);
        }

        return time.Seconds * 1_000_000_000L + time.Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

#pragma warning disable SYSLIB1054 // A plain blittable call; LibraryImport would need unsafe code for nothing.
    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec time);
#pragma warning restore SYSLIB1054
}
