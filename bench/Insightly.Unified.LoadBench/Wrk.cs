using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Insightly.Unified.LoadBench;

/// <param name="CpuPerRequest">CPU time (user + system, µs) the measured server process spent per request: unlike
/// latency and rate, other processes' load barely changes it.</param>
public sealed record WrkResult(double P50, double P99, double RequestsPerSecond, long Non2xx, string LoadAfter, double CpuPerRequest);

/// <summary>Runs wrk (one thread at concurrency 1, two above) and reads its latency distribution and rate.</summary>
public static partial class Wrk
{
    public static async Task<WrkResult> RunAsync(
        string url, int concurrency, (int Duration, int Warmup) timing, IReadOnlyList<(string Name, string Value)> headers, string? script = null, int server = 0)
    {
        await RunOnceAsync(url, concurrency, timing.Warmup, headers, script);
        var cpuBefore = server == 0 ? 0 : CpuTicks(server);
        var output = await RunOnceAsync(url, concurrency, timing.Duration, headers, script);
        var cpuAfter = server == 0 ? 0 : CpuTicks(server);
        var result = new WrkResult(
            Latency(output, "50%"), Latency(output, "99%"),
            double.Parse(Rate().Match(output).Groups[1].Value, CultureInfo.InvariantCulture),
            Non2xx().Match(output) is { Success: true } failed ? long.Parse(failed.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            Driver.Load().Split(' ')[0],
            0);
        var requests = Requests().Match(output) is { Success: true } total ? long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        return server == 0 || requests == 0
            ? result
            : result with { CpuPerRequest = (cpuAfter - cpuBefore) * (1_000_000.0 / TicksPerSecond) / requests };
    }

    /// <summary>utime + stime of a process, in clock ticks (/proc/PID/stat fields 14 and 15).</summary>
    private static long CpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private const double TicksPerSecond = 100; // USER_HZ on Linux

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Requests();

    private static async Task<string> RunOnceAsync(string url, int concurrency, int seconds, IReadOnlyList<(string Name, string Value)> headers, string? script)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-t", concurrency == 1 ? "1" : "2", "-c", concurrency.ToString(CultureInfo.InvariantCulture),
                     "-d", seconds + "s", "--latency", "--timeout", "10s" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in headers)
        {
            start.ArgumentList.Add("-H");
            start.ArgumentList.Add($"{name}: {value}");
        }

        if (script is not null)
        {
            start.ArgumentList.Add("-s");
            start.ArgumentList.Add(script);
        }

        start.ArgumentList.Add(url);
        using var wrk = Process.Start(start)!;
        var output = await wrk.StandardOutput.ReadToEndAsync();
        var errors = await wrk.StandardError.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        return wrk.ExitCode == 0 ? output : throw new InvalidOperationException($"wrk failed ({wrk.ExitCode}): {errors}{output}");
    }

    private static double Latency(string output, string percentile)
    {
        var match = Regex.Match(output, @"^\s*" + Regex.Escape(percentile) + @"\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "ms" => value, _ => value * 1000 };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex Rate();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xx();
}
