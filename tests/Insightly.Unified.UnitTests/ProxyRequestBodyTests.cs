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
        var body = await ProxyRequestBody.ReadAsync(Request("PUT", "{\"ORGANISATION_ID\":1}"), HttpMethod.Put, "Organisations", Limit, default);

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
        var body = await ProxyRequestBody.ReadAsync(Request("POST", source), HttpMethod.Post, "Organisations", Limit, default);

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

        var error = await Assert.ThrowsAsync<ApiException>(() => ProxyRequestBody.ReadAsync(request, new HttpMethod(method), "Organisations", Limit, default));

        Assert.Equal((413, ErrorCodes.PayloadTooLarge), (error.StatusCode, error.Error));
        Assert.Equal(0, source.BytesRead);
    }

    [Fact]
    public async Task A_buffered_body_without_a_length_stops_being_read_just_past_the_limit()
    {
        var source = new CountingStream(new byte[100 * Limit]);
        var error = await Assert.ThrowsAsync<ApiException>(() =>
            ProxyRequestBody.ReadAsync(Request("PUT", source), HttpMethod.Put, "Organisations", Limit, default));

        Assert.Equal(413, error.StatusCode);
        Assert.InRange(source.BytesRead, Limit + 1, Limit + 100 * 1024);
    }

    [Fact]
    public async Task A_streamed_body_without_a_length_fails_past_the_limit_and_says_so()
    {
        var body = await ProxyRequestBody.ReadAsync(Request("POST", new CountingStream(new byte[100 * Limit])), HttpMethod.Post, "Organisations", Limit, default);
        using var content = body.CreateContent()!;

        await Assert.ThrowsAnyAsync<Exception>(() => content.ReadAsByteArrayAsync());

        Assert.True(body.LimitExceeded);
    }

    [Fact]
    public async Task A_GET_sends_no_body() =>
        Assert.Null((await ProxyRequestBody.ReadAsync(Request("GET", "ignored"), HttpMethod.Get, "Organisations", Limit, default)).CreateContent());

    [Theory]
    [InlineData("application/x-www-form-urlencoded", "Contacts", null)]
    [InlineData("text/plain; charset=utf-8", "Contacts", null)]
    [InlineData("text/html", "Contacts", null)]
    [InlineData("multipart/form-data; boundary=x", "Contacts", null)]
    [InlineData("multipart/form-data; boundary=x", "Contacts/101/FileAttachments", "https://evil.example")]
    [InlineData(null, "Contacts", null)]
    [InlineData("not a media type", "Contacts", null)]
    public async Task A_body_a_page_of_another_site_could_send_is_415_before_any_byte_is_read(string? contentType, string path, string? origin)
    {
        var source = new CountingStream(Encoding.UTF8.GetBytes("LAST_NAME=x"));
        var request = Request("POST", source);
        request.ContentType = contentType;
        if (origin is not null)
        {
            request.Headers.Origin = origin;
        }

        var error = await Assert.ThrowsAsync<ApiException>(() => ProxyRequestBody.ReadAsync(request, HttpMethod.Post, path, Limit, default));

        Assert.Equal((415, ErrorCodes.UnsupportedMediaType), (error.StatusCode, error.Error));
        Assert.Equal(0, source.BytesRead);
    }

    [Theory]
    [InlineData("application/json", "Contacts")]
    [InlineData("application/json; charset=utf-8", "Contacts")]
    [InlineData("application/octet-stream", "Contacts/101/Image/ada.png")]
    [InlineData("image/png", "Contacts/101/Image/ada.png")]
    [InlineData("multipart/form-data; boundary=x", "Contacts/101/FileAttachments")]
    public async Task JSON_other_explicit_types_and_a_servers_file_upload_go_through(string contentType, string path)
    {
        var request = Request("POST", "{}");
        request.ContentType = contentType;

        using var content = (await ProxyRequestBody.ReadAsync(request, HttpMethod.Post, path, Limit, default)).CreateContent()!;

        Assert.Equal(contentType, content.Headers.ContentType!.ToString());
    }

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
