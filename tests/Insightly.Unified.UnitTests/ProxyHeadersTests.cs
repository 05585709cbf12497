using System.Net;
using Insightly.Unified.Proxy;
using Microsoft.AspNetCore.Http;

namespace Insightly.Unified.UnitTests;

public sealed class ProxyHeadersTests
{
    [Fact]
    public void Only_the_conditional_headers_of_the_caller_go_upstream()
    {
        var headers = new HeaderDictionary
        {
            ["Authorization"] = "Bearer caller-token",
            ["Cookie"] = "session=1",
            ["x-functions-key"] = "function-key",
            ["X-Integrated-Account-Id"] = "ia-abc",
            ["Host"] = "my-app.azurewebsites.net",
            ["X-Forwarded-For"] = "203.0.113.7",
            ["X-Forwarded-Host"] = "evil.example",
            ["X-Forwarded-Proto"] = "http",
            ["Connection"] = "keep-alive, X-Custom",
            ["Keep-Alive"] = "timeout=5",
            ["TE"] = "trailers",
            ["Trailer"] = "Expires",
            ["Transfer-Encoding"] = "chunked",
            ["Upgrade"] = "websocket",
            ["Proxy-Authorization"] = "Basic eA==",
            ["Proxy-Connection"] = "keep-alive",
            ["Accept-Encoding"] = "gzip",
            ["If-Match"] = "\"abc\"",
            ["If-None-Match"] = "\"def\"",
        };

        var forwarded = ProxyHeaders.Upstream(headers).ToDictionary(h => h.Key, h => h.Value.ToString());

        Assert.Equal(new Dictionary<string, string> { ["If-Match"] = "\"abc\"", ["If-None-Match"] = "\"def\"" }, forwarded);
    }

    [Fact]
    public void Insightlys_listed_headers_come_back_and_cookies_and_hop_by_hop_headers_do_not()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(new byte[12]) };
        response.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
        response.Content.Headers.ContentLength = 12;
        response.Headers.TryAddWithoutValidation("ETag", "\"e1\"");
        response.Headers.TryAddWithoutValidation("X-Total-Count", "40");
        response.Headers.TryAddWithoutValidation("X-RateLimit-Limit", "60000");
        response.Headers.TryAddWithoutValidation("X-RateLimit-Remaining", "59999");
        response.Headers.TryAddWithoutValidation("Retry-After", "1");
        response.Headers.TryAddWithoutValidation("Set-Cookie", "ARRAffinity=1");
        response.Headers.TryAddWithoutValidation("Connection", "close");
        response.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=5");
        response.Headers.TryAddWithoutValidation("Proxy-Authenticate", "Basic");
        response.Headers.TryAddWithoutValidation("Upgrade", "h2c");
        response.Headers.TryAddWithoutValidation("Server", "Microsoft-IIS/10.0");
        response.Headers.TryAddWithoutValidation("X-Powered-By", "ASP.NET");

        var returned = ProxyHeaders.ToCaller(response).ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);

        Assert.Equal(
            ["Content-Length", "Content-Type", "ETag", "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-Total-Count"],
            returned.Keys.Order(StringComparer.OrdinalIgnoreCase));
        Assert.Equal("application/json; charset=utf-8", returned["Content-Type"]);
        Assert.Equal("\"e1\"", returned["ETag"]);
    }

    [Theory]
    [InlineData(HttpStatusCode.NoContent)]
    [InlineData(HttpStatusCode.NotModified)]
    public void Answers_without_a_body_get_no_Content_Length(HttpStatusCode status)
    {
        using var response = new HttpResponseMessage(status) { Content = new ByteArrayContent([]) };
        response.Content.Headers.ContentLength = 0;
        Assert.DoesNotContain(ProxyHeaders.ToCaller(response), h => h.Key == "Content-Length");
    }
}
