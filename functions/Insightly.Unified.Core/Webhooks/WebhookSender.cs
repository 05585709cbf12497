using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Insightly.Unified.Webhooks;

/// <summary>What one delivery attempt came to: the receiver's status, or why there was none.</summary>
public sealed record DeliveryOutcome(int? Status, string Message)
{
    public bool Succeeded => Status is >= 200 and < 300;

    /// <summary>410 Gone: the receiver says the endpoint is gone for good; the subscription is disabled.</summary>
    public bool Gone => Status == 410;
}

/// <summary>A delivery was refused before it left: the host resolves to an address deliveries may not go to.</summary>
public sealed class BlockedAddressException(string host)
    : Exception($"'{host}' resolves to a private, loopback or link-local address, where deliveries may not go.");

/// <summary>
/// POSTs one event to one subscription: signed headers, a 10-second limit, no redirects, no proxy. Outside development
/// the connection itself is guarded: the host name is resolved here, every address it resolves to is checked with
/// <see cref="WebhookAddressPolicy"/>, and the socket connects to exactly those checked addresses, so a DNS answer that
/// changes between a check and the connection (DNS rebinding) cannot reach a private address.
/// </summary>
public sealed class WebhookSender(HttpClient client, TimeProvider time)
{
    public const string UserAgent = "Insightly-Unified-Webhooks/1.0";

    /// <param name="guardAddresses">False only with the development secret store, whose receivers run on loopback.</param>
    public static SocketsHttpHandler CreateHandler(bool guardAddresses) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        ConnectTimeout = WebhookOptions.DeliveryTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, guardAddresses, cancellationToken),
    };

    public static HttpClient CreateClient(bool guardAddresses) => Configure(new HttpClient(CreateHandler(guardAddresses)));

    public static HttpClient Configure(HttpClient client)
    {
        client.Timeout = WebhookOptions.DeliveryTimeout;
        client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        return client;
    }

    public async Task<DeliveryOutcome> SendAsync(Uri url, DeliveryMessage delivery, string secret, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(delivery.Body);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } } },
        };
        request.Headers.Add(WebhookSigning.IdHeader, delivery.EventId);
        request.Headers.Add(WebhookSigning.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSigning.SignatureHeader, WebhookSigning.Sign(secret, delivery.EventId, timestamp, body));
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            return new DeliveryOutcome(status, status is >= 300 and < 400
                ? $"The receiver answered {status} (a redirect, which is not followed)."
                : $"The receiver answered {status}.");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryOutcome(null, $"The receiver did not answer within {WebhookOptions.DeliveryTimeout.TotalSeconds:0} seconds.");
        }
        catch (HttpRequestException exception) when (exception.InnerException is BlockedAddressException blocked)
        {
            return new DeliveryOutcome(null, blocked.Message);
        }
        catch (HttpRequestException exception)
        {
            return new DeliveryOutcome(null, $"The receiver could not be reached: {exception.HttpRequestError}.");
        }
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool guardAddresses, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        if (addresses.Length == 0 || (guardAddresses && !addresses.All(WebhookAddressPolicy.IsAllowed)))
        {
            throw new BlockedAddressException(endpoint.Host);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
