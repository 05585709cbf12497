using System.Diagnostics;

namespace Insightly.Unified.LoadBench;

/// <summary>The processes one run starts, each stopped (SIGTERM, then killed) when the run ends however it ends.</summary>
public sealed class ChildProcesses : IAsyncDisposable
{
    private readonly List<Process> started = [];

    public Process Start(string name, string file, IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyList<(string Name, string Value)> environment)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + name);
        var log = Path.Combine(workingDirectory, name + ".log");
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        started.Add(process);
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in started.Where(p => !p.HasExited))
        {
            // SIGTERM: the hosts stop gracefully.
            Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
        }

        foreach (var process in started)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }

        started.Clear();
    }

    private static void Append(string file, string? line)
    {
        if (line is not null)
        {
            lock (typeof(ChildProcesses))
            {
                File.AppendAllText(file, line + Environment.NewLine);
            }
        }
    }
}
