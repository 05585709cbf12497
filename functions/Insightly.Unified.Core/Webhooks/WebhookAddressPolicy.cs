using System.Net;
using System.Net.Sockets;

namespace Insightly.Unified.Webhooks;

/// <summary>
/// Where a delivery may connect in Azure: public unicast addresses only. Private (RFC 1918, unique-local), loopback,
/// link-local (the instance metadata service at 169.254.169.254 among them), carrier-grade NAT, multicast, reserved
/// and unspecified addresses are refused, and so is Azure's platform address 168.63.129.16; IPv4-mapped, NAT64 and
/// 6to4 IPv6 addresses are judged by the IPv4 address they carry.
/// </summary>
public static class WebhookAddressPolicy
{
    private static readonly (IPAddress Network, int PrefixLength)[] BlockedV4 =
    [
        (IPAddress.Parse("0.0.0.0"), 8),
        (IPAddress.Parse("10.0.0.0"), 8),
        (IPAddress.Parse("100.64.0.0"), 10),
        (IPAddress.Parse("127.0.0.0"), 8),
        (IPAddress.Parse("168.63.129.16"), 32),
        (IPAddress.Parse("169.254.0.0"), 16),
        (IPAddress.Parse("172.16.0.0"), 12),
        (IPAddress.Parse("192.0.0.0"), 24),
        (IPAddress.Parse("192.0.2.0"), 24),
        (IPAddress.Parse("192.168.0.0"), 16),
        (IPAddress.Parse("198.18.0.0"), 15),
        (IPAddress.Parse("198.51.100.0"), 24),
        (IPAddress.Parse("203.0.113.0"), 24),
        (IPAddress.Parse("224.0.0.0"), 4),
        (IPAddress.Parse("240.0.0.0"), 4),
    ];

    private static readonly (IPAddress Network, int PrefixLength)[] BlockedV6 =
    [
        (IPAddress.Parse("::"), 127),
        (IPAddress.Parse("100::"), 64),
        (IPAddress.Parse("2001:db8::"), 32),
        (IPAddress.Parse("fc00::"), 7),
        (IPAddress.Parse("fe80::"), 10),
        (IPAddress.Parse("fec0::"), 10),
        (IPAddress.Parse("ff00::"), 8),
    ];

    public static bool IsAllowed(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.IsIPv4MappedToIPv6)
            {
                return IsAllowed(address.MapToIPv4());
            }

            var bytes = address.GetAddressBytes();
            // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address that the packet ends up at.
            if (InRange(address, IPAddress.Parse("64:ff9b::"), 96))
            {
                return IsAllowed(new IPAddress(bytes[12..16]));
            }

            if (InRange(address, IPAddress.Parse("2002::"), 16))
            {
                return IsAllowed(new IPAddress(bytes[2..6]));
            }

            return !BlockedV6.Any(range => InRange(address, range.Network, range.PrefixLength));
        }

        return address.AddressFamily == AddressFamily.InterNetwork
            && !BlockedV4.Any(range => InRange(address, range.Network, range.PrefixLength));
    }

    private static bool InRange(IPAddress address, IPAddress network, int prefixLength)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        var full = prefixLength / 8;
        if (!a.AsSpan(0, full).SequenceEqual(n.AsSpan(0, full)))
        {
            return false;
        }

        var rest = prefixLength % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - rest));
        return (a[full] & mask) == (n[full] & mask);
    }
}
