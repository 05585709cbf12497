using System.Diagnostics;
using System.Net;
using FakeInsightly;
using Xunit.Abstractions;

namespace Insightly.Unified.EndToEndTests;

/// <summary>Runs alone: it measures the whole process's memory, which tests running alongside would change.</summary>
[CollectionDefinition(nameof(ProxyStreamingTests), DisableParallelization = true)]
public sealed class ProxyStreamingCollection;

[Collection(nameof(ProxyStreamingTests))]
public sealed class ProxyStreamingTests(ApiHostFixture host, ITestOutputHelper output) : IClassFixture<ApiHostFixture>
{
    private const long MiB = 1024 * 1024;
    private const long BodyBytes = 50 * MiB;
    private const long MaxGrowthBytes = 32 * MiB;

    /// <summary>
    /// How it is measured: the fake Insightly, the local host (proxy) and this reader all run in this one test
    /// process, so the process's working set covers the whole chain — the fake generating 50 MB, Kestrel and
    /// HttpClient on both hops, the proxy copying, and the reader. First one small answer goes through the same
    /// path (JIT, connection and buffer pools warmed), then a full blocking GC, then the baseline is read. While
    /// the 50 MB answer is read slowly (64 KB at a time with a pause after each megabyte, so the server side must
    /// hold back rather than race ahead) a sampler re-reads <see cref="Process.WorkingSet64"/> every 5 ms and
    /// keeps the peak; the managed heap size (<see cref="GC.GetTotalMemory(bool)"/>) is sampled alongside for the
    /// log. Nothing is collected or trimmed during the read. The bound is on peak minus baseline: had any hop
    /// buffered the answer, the growth would be at least 50 MB.
    /// </summary>
    [Fact]
    public async Task A_50_MB_answer_streams_through_the_proxy_with_peak_working_set_growth_under_32_MB()
    {
        var (_, key, id) = await LinkedAccountAsync();
        host.Insightly.AddCannedResponse(new CannedResponse(key, "Contacts") { BodyBytes = 1 * MiB });
        await ReadAllAsync(id, TimeSpan.Zero);
        host.Insightly.AddCannedResponse(new CannedResponse(key, "Contacts") { BodyBytes = BodyBytes });

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var baseline = process.WorkingSet64;
        var baselineHeap = GC.GetTotalMemory(false);
        long peak = baseline, peakHeap = baselineHeap;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                await Task.Delay(5);
            }
        });

        var (received, intact) = await ReadAllAsync(id, TimeSpan.FromMilliseconds(20));
        await stop.CancelAsync();
        await sampler;

        var growth = peak - baseline;
        output.WriteLine($"Working set: baseline {baseline / MiB} MiB, peak {peak / MiB} MiB, growth {growth / (double)MiB:F1} MiB; " +
                         $"managed heap: baseline {baselineHeap / MiB} MiB, peak {peakHeap / MiB} MiB");
        Assert.Equal(BodyBytes, received);
        Assert.True(intact, "the body that came through differs from the one Insightly sent");
        Assert.True(growth < MaxGrowthBytes, $"peak working-set growth {growth / (double)MiB:F1} MiB while streaming {BodyBytes / MiB} MB");
    }

    [Fact]
    public async Task The_caller_gets_the_first_megabyte_before_Insightly_has_sent_the_whole_answer()
    {
        var (_, key, id) = await LinkedAccountAsync();
        host.Insightly.AddCannedResponse(new CannedResponse(key, "Contacts") { BodyBytes = BodyBytes, Chunked = true });
        var writtenBefore = host.Insightly.CannedBytesWritten;

        using var response = await host.Api.GetAsync($"proxy/Contacts?integrated_account_id={id}", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long received = 0;
        while (received < MiB)
        {
            received += await body.ReadAsync(buffer);
        }

        // Back-pressure holds Insightly's side back while the caller has not read on: a proxy that buffered the
        // answer would have drained all 50 MB from Insightly before passing on the first byte.
        var writtenByInsightly = host.Insightly.CannedBytesWritten - writtenBefore;
        output.WriteLine($"After the caller read {received / MiB} MiB, Insightly had written {writtenByInsightly / (double)MiB:F1} MiB");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentLength);
        Assert.True(writtenByInsightly < BodyBytes / 2, $"Insightly had already written {writtenByInsightly} bytes");
    }

    private async Task<(long Received, bool Intact)> ReadAllAsync(string id, TimeSpan pausePerMiB)
    {
        using var response = await host.Api.GetAsync($"proxy/Contacts?integrated_account_id={id}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var length = response.Content.Headers.ContentLength!.Value;
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long received = 0, nextPause = MiB;
        var intact = true;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                intact &= buffer[i] == CannedResponse.BodyByteAt(received + i, length);
            }

            received += read;
            if (received >= nextPause && pausePerMiB > TimeSpan.Zero)
            {
                nextPause += MiB;
                await Task.Delay(pausePerMiB);
            }
        }

        return (received, intact);
    }

    private async Task<(FakeInstance Instance, string Key, string Id)> LinkedAccountAsync()
    {
        var (instance, key) = host.NewInstance();
        var id = (await host.LinkAsync(key)).Str("id");
        return (instance, key, id);
    }
}
