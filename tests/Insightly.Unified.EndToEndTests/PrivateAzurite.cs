using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Insightly.Unified.EndToEndTests;

/// <summary>
/// An Azurite of the test's own (tables only, or queues only) on a free loopback port, from this repository's node_modules,
/// so a test can stop and restart storage without disturbing the shared Azurite other tests use.
/// </summary>
/// <param name="service"><c>table</c> (the default) or <c>queue</c>.</param>
public sealed class PrivateAzurite(string service = "table") : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string location = Path.Combine(Path.GetTempPath(), "azurite-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly int port = FreePort();
    private Process? process;

    /// <summary>
    /// This Azurite's endpoint and, for the other services, the shared Azurite's on loopback: a connection string without them
    /// would send the app's queue calls to devstoreaccount1 in Azure rather than to this machine.
    /// </summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};{Endpoint};" +
        (service == "queue"
            ? "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;"
            : "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;");

    /// <summary>This Azurite's endpoint, as a connection string part (<c>TableEndpoint=…</c> or <c>QueueEndpoint=…</c>).</summary>
    public string Endpoint => $"{(service == "queue" ? "QueueEndpoint" : "TableEndpoint")}=http://127.0.0.1:{port}/devstoreaccount1";


    public async Task StartAsync()
    {
        var azurite = Path.Combine(RepositoryRoot(), "node_modules", ".bin", "azurite-" + service);
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException($"{azurite} is missing: run npm ci (./test.sh does).");
        }

        Directory.CreateDirectory(location);
        process = Process.Start(new ProcessStartInfo(azurite,
            ["--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--location", location, $"--{service}Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (await ListeningAsync())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("The private Azurite did not start listening.");
    }

    /// <summary>
    /// Stops the process as Ctrl-C would (SIGINT: the signal on which Azurite saves its data) and waits until its port
    /// refuses connections; the data stays on disk for the next start.
    /// </summary>
    public async Task StopAsync()
    {
        if (process is null)
        {
            return;
        }

        _ = Signal(process.Id, SigInt);
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        process = null;
        while (await ListeningAsync())
        {
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(location, recursive: true);
    }

    private async Task<bool> ListeningAsync()
    {
        using var socket = new TcpClient();
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private const int SigInt = 2;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Signal(int pid, int signal);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Functions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Could not find the repository root (Functions.sln).");
    }
}
