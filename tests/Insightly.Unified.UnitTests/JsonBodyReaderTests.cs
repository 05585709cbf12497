using System.Text;
using Insightly.Unified.Configuration;
using Insightly.Unified.Errors;
using Insightly.Unified.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.UnitTests;

public sealed class JsonBodyReaderTests
{
    private readonly JsonBodyReader reader = new(Options.Create(new ApiOptions { MaxBodyBytes = 1024 }));

    [Fact]
    public async Task Reads_a_json_object()
    {
        var body = await reader.ReadObjectAsync(Request("""{"a":1}""", "application/json; charset=utf-8"), CancellationToken.None);
        Assert.Equal(1, body["a"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task A_body_that_is_not_json_gets_415(string? contentType) =>
        await AssertFails(Request("{}", contentType), 415, ErrorCodes.UnsupportedMediaType);

    [Fact]
    public async Task A_declared_length_over_the_limit_gets_413_before_reading() =>
        await AssertFails(Request(new string(' ', 2000), "application/json"), 413, ErrorCodes.PayloadTooLarge);

    [Fact]
    public async Task A_chunked_body_over_the_limit_gets_413()
    {
        var request = Request("\"" + new string('x', 5000) + "\"", "application/json");
        request.ContentLength = null;
        await AssertFails(request, 413, ErrorCodes.PayloadTooLarge);
    }

    [Theory]
    [InlineData("{bad")]
    [InlineData("")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    public async Task Malformed_or_non_object_json_gets_400(string json) =>
        await AssertFails(Request(json, "application/json"), 400, ErrorCodes.InvalidBody);

    [Fact]
    public async Task Duplicate_field_names_get_400()
    {
        var exception = await Assert.ThrowsAsync<ApiException>(() =>
            reader.ReadObjectAsync(Request("""{"api_key":"a","api_key":"b"}""", "application/json"), CancellationToken.None));
        Assert.Equal((400, ErrorCodes.InvalidBody), (exception.StatusCode, exception.Error));
        Assert.Contains("api_key", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_gets_400()
    {
        var context = new DefaultHttpContext();
        byte[] bytes = [(byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xff, (byte)'"', (byte)'}'];
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentType = "application/json";
        await AssertFails(context.Request, 400, ErrorCodes.InvalidBody);
    }

    [Theory]
    [InlineData("""{"api_key":"\udc00","pod":"na1"}""")]
    [InlineData("""{"api_key":"ok\ud800","pod":"na1"}""")]
    [InlineData("""{"\udc00":"value"}""")]
    [InlineData("""{"nested":{"list":["\udfff"]}}""")]
    public async Task An_escaped_lone_surrogate_gets_400(string json) =>
        await AssertFails(Request(json, "application/json"), 400, ErrorCodes.InvalidBody);

    [Fact]
    public async Task An_escaped_surrogate_pair_is_ordinary_text()
    {
        var body = await reader.ReadObjectAsync(Request("""{"name":"\ud83d\ude00"}""", "application/json"), CancellationToken.None);
        Assert.Equal("😀", body["name"]!.GetValue<string>());
    }

    private async Task AssertFails(HttpRequest request, int status, string error)
    {
        var exception = await Assert.ThrowsAsync<ApiException>(() => reader.ReadObjectAsync(request, CancellationToken.None));
        Assert.Equal((status, error), (exception.StatusCode, exception.Error));
    }

    private static HttpRequest Request(string body, string? contentType)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        context.Request.ContentType = contentType;
        return context.Request;
    }
}
