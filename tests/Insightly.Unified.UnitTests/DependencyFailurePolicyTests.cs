using System.Net;
using System.Net.Sockets;
using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Insightly.Unified.Errors;

namespace Insightly.Unified.UnitTests;

/// <summary>The policy against a real Azure SDK client whose service is down or answering errors.</summary>
public sealed class DependencyFailurePolicyTests
{
    [Fact]
    public async Task A_storage_client_that_cannot_connect_gives_up_with_the_dependency_named()
    {
        var table = Table($"http://127.0.0.1:{ClosedPort()}/devstoreaccount1");

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => table.GetEntityIfExistsAsync<TableEntity>("p", "r"));

        Assert.Equal(DependencyFailurePolicy.Storage, error.Dependency);
        Assert.IsType<AggregateException>(error.InnerException);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(500)]
    [InlineData(403)]
    [InlineData(429)]
    public async Task A_server_error_throttling_or_refusal_is_an_outage(int status)
    {
        await using var server = await StubServer.StartAsync(status);
        var table = Table(server.Url);

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => table.GetEntityIfExistsAsync<TableEntity>("p", "r"));
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_the_caller_handles_passes_through()
    {
        await using var server = await StubServer.StartAsync(409);
        var table = Table(server.Url);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.AddEntityAsync(new TableEntity("p", "r")));
        Assert.Equal(409, error.Status);
    }

    private static TableClient Table(string endpoint)
    {
        var options = new TableClientOptions { Retry = { MaxRetries = 1, Delay = TimeSpan.FromMilliseconds(1), Mode = RetryMode.Fixed } };
        options.AddPolicy(new DependencyFailurePolicy(DependencyFailurePolicy.Storage), HttpPipelinePosition.PerCall);
        return new TableClient(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint={endpoint};",
            "accounts", options);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Answers every request with one status, as a storage service having a bad day would.</summary>
    private sealed class StubServer : IAsyncDisposable
    {
        private readonly HttpListener listener = new();
        private readonly CancellationTokenSource stop = new();
        private Task? loop;

        public string Url { get; private set; } = "";

        public static Task<StubServer> StartAsync(int status)
        {
            var server = new StubServer();
            var port = ClosedPort();
            server.Url = $"http://127.0.0.1:{port}/devstoreaccount1";
            server.listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            server.listener.Start();
            server.loop = Task.Run(async () =>
            {
                while (!server.stop.IsCancellationRequested)
                {
                    var context = await server.listener.GetContextAsync();
                    context.Response.StatusCode = status;
                    context.Response.Close();
                }
            });
            return Task.FromResult(server);
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            listener.Stop();
            listener.Close();
            try
            {
                await loop!;
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
            {
            }
        }
    }
}
