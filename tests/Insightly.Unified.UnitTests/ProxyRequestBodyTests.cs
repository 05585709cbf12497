using System.Text;
using Insightly.Unified.Errors;
using Insightly.Unified.Proxy;
using Microsoft.AspNetCore.Http;

namespace Insightly.Unified.UnitTests;

public sealed class ProxyRequestBodyTests
{
    private const long Limit = 1024;

    [Fact]
    public async Task A_PUT_body_is_buffered_so_every_attempt_sends_it_whole()
    {
        var body = await ProxyRequestBody.ReadAsync(Request("PUT", "{\"ORGANISATION_ID\":1}"), HttpMethod.Put, Limit, default);

        using var first = body.CreateContent()!;
        using var second = body.CreateContent()!;

        Assert.Equal("{\"ORGANISATION_ID\":1}", await first.ReadAsStringAsync());
        Assert.Equal("{\"ORGANISATION_ID\":1}", await second.ReadAsStringAsync());
        Assert.Equal("application/json", second.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_POST_body_streams_once_and_a_second_send_asks_the_caller_to_resend()
    {
        var source = new CountingStream(Encoding.UTF8.GetBytes("{\"LAST_NAME\":\"Lovelace\"}"));
        var body = await ProxyRequestBody.ReadAsync(Request("POST", source), HttpMethod.Post, Limit, default);

        Assert.Equal(0, source.BytesRead);
        using var content = body.CreateContent()!;
        Assert.Equal("{\"LAST_NAME\":\"Lovelace\"}", await content.ReadAsStringAsync());
        var again = Assert.Throws<ApiException>(() => body.CreateContent());
        Assert.Equal((503, ErrorCodes.UpstreamUnavailable), (again.StatusCode, again.Error));
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("POST")]
    public async Task A_declared_length_over_the_limit_is_413_before_any_byte_is_read(string method)
    {
        var source = new CountingStream(new byte[Limit + 1]);
        var request = Request(method, source);
        request.ContentLength = Limit + 1;

        var error = await Assert.ThrowsAsync<ApiException>(() => ProxyRequestBody.ReadAsync(request, new HttpMethod(method), Limit, default));

        Assert.Equal((413, ErrorCodes.PayloadTooLarge), (error.StatusCode, error.Error));
        Assert.Equal(0, source.BytesRead);
    }

    [Fact]
    public async Task A_buffered_body_without_a_length_stops_being_read_just_past_the_limit()
    {
        var source = new CountingStream(new byte[100 * Limit]);
        var error = await Assert.ThrowsAsync<ApiException>(() =>
            ProxyRequestBody.ReadAsync(Request("PUT", source), HttpMethod.Put, Limit, default));

        Assert.Equal(413, error.StatusCode);
        Assert.InRange(source.BytesRead, Limit + 1, Limit + 100 * 1024);
    }

    [Fact]
    public async Task A_streamed_body_without_a_length_fails_past_the_limit_and_says_so()
    {
        var body = await ProxyRequestBody.ReadAsync(Request("POST", new CountingStream(new byte[100 * Limit])), HttpMethod.Post, Limit, default);
        using var content = body.CreateContent()!;

        await Assert.ThrowsAnyAsync<Exception>(() => content.ReadAsByteArrayAsync());

        Assert.True(body.LimitExceeded);
    }

    [Fact]
    public async Task A_GET_sends_no_body() =>
        Assert.Null((await ProxyRequestBody.ReadAsync(Request("GET", "ignored"), HttpMethod.Get, Limit, default)).CreateContent());

    private static HttpRequest Request(string method, string body) => Request(method, new CountingStream(Encoding.UTF8.GetBytes(body)));

    private static HttpRequest Request(string method, Stream body)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.ContentType = "application/json";
        context.Request.Body = body;
        return context.Request;
    }

    /// <summary>Counts what is read from it (MemoryStream's async reads go through the synchronous ones).</summary>
    private sealed class CountingStream(byte[] data) : MemoryStream(data)
    {
        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) => Count(base.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(base.Read(buffer));

        private int Count(int read)
        {
            BytesRead += read;
            return read;
        }
    }
}
