using System.Net;
using System.Net.Sockets;

namespace Insightly.Unified.Webhooks;

/// <summary>
/// Where a delivery may connect in Azure: public unicast addresses only. Private (RFC 1918, unique-local), loopback,
/// link-local (the instance metadata service at 169.254.169.254 among them), carrier-grade NAT, multicast, reserved
/// and unspecified addresses are refused, and so is Azure's platform address 168.63.129.16. IPv6 forms that carry
/// an IPv4 address are judged by it (IPv4-mapped, NAT64 <c>64:ff9b::/96</c>, 6to4 <c>2002::/16</c>); those whose
/// IPv4 end cannot be judged here — IPv4-compatible <c>::/96</c>, local-use NAT64 <c>64:ff9b:1::/48</c> and Teredo
/// <c>2001::/32</c> — are refused outright.
/// </summary>
public static class WebhookAddressPolicy
{
    private static readonly IPNetwork[] BlockedV4 =
    [
        IPNetwork.Parse("0.0.0.0/8"),
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("168.63.129.16/32"),
        IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"),
        IPNetwork.Parse("192.0.2.0/24"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("198.51.100.0/24"),
        IPNetwork.Parse("203.0.113.0/24"),
        IPNetwork.Parse("224.0.0.0/4"),
        IPNetwork.Parse("240.0.0.0/4"),
    ];

    private static readonly IPNetwork[] BlockedV6 =
    [
        IPNetwork.Parse("::/96"),
        IPNetwork.Parse("64:ff9b:1::/48"),
        IPNetwork.Parse("100::/64"),
        IPNetwork.Parse("2001::/32"),
        IPNetwork.Parse("2001:db8::/32"),
        IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("fec0::/10"),
        IPNetwork.Parse("ff00::/8"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    public static bool IsAllowed(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return !BlockedV4.Any(range => range.Contains(address));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return IsAllowed(address.MapToIPv4());
        }

        var bytes = address.GetAddressBytes();
        // The IPv4 address the packet ends up at: the last 32 bits of NAT64, bits 16–47 of 6to4.
        if (Nat64.Contains(address))
        {
            return IsAllowed(new IPAddress(bytes[12..16]));
        }

        if (SixToFour.Contains(address))
        {
            return IsAllowed(new IPAddress(bytes[2..6]));
        }

        return !BlockedV6.Any(range => range.Contains(address));
    }
}
