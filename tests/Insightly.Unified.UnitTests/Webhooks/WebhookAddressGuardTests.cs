using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Insightly.Unified.Errors;
using Insightly.Unified.Webhooks;

namespace Insightly.Unified.UnitTests.Webhooks;

/// <summary>The SSRF guard: which addresses deliveries may reach in Azure, checked on the connection itself.</summary>
public sealed class WebhookAddressGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.9")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("168.63.129.16")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("fc12:3456::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("2002:7f00:0001::")]
    [InlineData("::a9fe:a9fe")]
    [InlineData("::808:808")]
    [InlineData("64:ff9b:1::a9fe:a9fe")]
    [InlineData("64:ff9b:1:ffff::808:808")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")]
    [InlineData("2001:db8::1")]
    public void Private_loopback_link_local_and_platform_addresses_are_refused(string address) =>
        Assert.False(WebhookAddressPolicy.IsAllowed(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("20.50.2.1")]
    [InlineData("172.32.0.1")]
    [InlineData("172.15.255.255")]
    [InlineData("169.255.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    [InlineData("2001:4860:4860::8888")]
    public void Public_addresses_are_allowed(string address) =>
        Assert.True(WebhookAddressPolicy.IsAllowed(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://localhost:9/hook")]
    [InlineData("http://LOCALHOST/hook")]
    [InlineData("http://127.0.0.1:5000/hook")]
    [InlineData("http://127.0.0.1/hook")]
    public void With_the_development_store_localhost_http_receivers_are_allowed_and_nowhere_else(string url)
    {
        Assert.Equal(new Uri(url), WebhookRequest.ReceiverUrl(url, allowLoopbackHttp: true));
        AssertRefused(() => WebhookRequest.ReceiverUrl(url, allowLoopbackHttp: false));
    }

    [Theory]
    [InlineData("http://example.com/hook")]
    [InlineData("http://10.0.0.1/hook")]
    [InlineData("ftp://example.com/hook")]
    [InlineData("https://user:pass@example.com/hook")]
    [InlineData("https://example.com/hook#fragment")]
    [InlineData("/relative/hook")]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://10.0.0.1/hook")]
    [InlineData("https://[::ffff:192.168.0.1]/hook")]
    [InlineData("https://localhost/hook")]
    public void Outside_development_only_https_urls_that_are_not_literal_private_addresses_are_accepted(string url) =>
        AssertRefused(() => WebhookRequest.ReceiverUrl(url, allowLoopbackHttp: false));

    [Fact]
    public void An_https_url_with_a_public_name_is_accepted() =>
        Assert.Equal("https://hooks.example.com/in?x=1", WebhookRequest.ReceiverUrl("https://hooks.example.com/in?x=1", false).AbsoluteUri);

    /// <summary>
    /// The guard sits in the connection, not in the URL check: a receiver listening on loopback gets no connection at all,
    /// whether the URL names the address or a host name that resolves to it.
    /// </summary>
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task A_guarded_sender_never_connects_to_a_loopback_receiver(string host)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var client = WebhookSender.CreateClient(guardAddresses: true);
        var sender = new WebhookSender(client, TimeProvider.System);

        var outcome = await sender.SendAsync(new Uri($"http://{host}:{port}/hook"),
            new DeliveryMessage("evt_1", WebhookEventTypes.Test, "wh-x", "{}", 1, DateTimeOffset.UtcNow), "whsec_x", default);

        Assert.Null(outcome.Status);
        Assert.Contains("private, loopback or link-local", outcome.Message);
        Assert.False(listener.Pending(), "The guarded sender opened a connection to loopback.");
    }

    [Fact]
    public async Task An_unguarded_sender_posts_signed_json_and_does_not_follow_a_redirect()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var client = WebhookSender.CreateClient(guardAddresses: false);
        var sender = new WebhookSender(client, TimeProvider.System);

        var sending = sender.SendAsync(new Uri($"http://127.0.0.1:{port}/hook"),
            new DeliveryMessage("evt_1", WebhookEventTypes.Test, "wh-x", """{"id":"evt_1"}""", 1, DateTimeOffset.UtcNow), "whsec_x", default);
        using var connection = await listener.AcceptTcpClientAsync();
        var stream = connection.GetStream();
        var request = "";
        var buffer = new byte[4096];
        while (!request.Contains("\r\n\r\n", StringComparison.Ordinal) || !request.EndsWith("}", StringComparison.Ordinal))
        {
            request += System.Text.Encoding.UTF8.GetString(buffer, 0, await stream.ReadAsync(buffer));
        }

        await stream.WriteAsync("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/elsewhere\r\nContent-Length: 0\r\n\r\n"u8.ToArray());
        var outcome = await sending;

        Assert.StartsWith("POST /hook HTTP/1.1", request);
        Assert.Contains("X-Webhook-Id: evt_1", request);
        Assert.Matches("X-Webhook-Signature: v1=[0-9a-f]{64}", request);
        Assert.Contains("Content-Type: application/json; charset=utf-8", request);
        Assert.Equal(302, outcome.Status);
        Assert.False(outcome.Succeeded);
        Assert.Contains("not followed", outcome.Message);
    }

    private static void AssertRefused(Func<Uri> parse)
    {
        var error = Assert.Throws<ApiException>(() => parse());
        Assert.Equal((400, ErrorCodes.InvalidBody), (error.StatusCode, error.Error));
        Assert.Equal("url", ((JsonArray)error.Details!["fields"]!)[0]!.GetValue<string>());
    }
}
