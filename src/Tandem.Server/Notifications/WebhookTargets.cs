using System.Net;
using System.Net.Sockets;

namespace Tandem.Server.Notifications;

/// <summary>Settings under "Tandem:Notifications:Webhooks": the only exceptions to where webhooks may go.</summary>
internal sealed class WebhookOptions
{
    /// <summary>Host names (as written in the URL) that may be reached over plain http; every other receiver needs https.</summary>
    public List<string> AllowHttpHosts { get; set; } = [];

    /// <summary>
    /// Host names (as written in the URL) that may resolve to loopback, private or link-local addresses — a receiver inside
    /// the company's network. Metadata services stay refused even here.
    /// </summary>
    public List<string> AllowPrivateHosts { get; set; } = [];

    public bool AllowsHttp(string host) => Contains(AllowHttpHosts, host);

    public bool AllowsPrivate(string host) => Contains(AllowPrivateHosts, host);

    private static bool Contains(List<string> hosts, string host) =>
        hosts.Any(h => !string.IsNullOrWhiteSpace(h) && string.Equals(h.Trim().Trim('[', ']'), host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// Where a webhook may go: https (or http to a host an admin named), and after DNS resolution never to a loopback,
/// private, link-local, shared, reserved or metadata address unless the host is named as private. Checked when a
/// subscription is made and again at every delivery, where Tandem connects only to an address it has just checked — so a
/// name that later resolves elsewhere (DNS rebinding) reaches nothing it should not.
/// </summary>
internal sealed class WebhookTargets(NotificationOptions options)
{
    private WebhookOptions Rules => options.Webhooks;

    /// <returns>Why the URL is refused, or null when it may be used.</returns>
    public async Task<string?> CheckAsync(Uri url, CancellationToken ct)
    {
        if (url.Scheme == Uri.UriSchemeHttp && !Rules.AllowsHttp(url.IdnHost))
            return $"Webhooks are sent over https only; an admin can allow http for {url.IdnHost} (Tandem__Notifications__Webhooks__AllowHttpHosts).";
        if (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp) return "An absolute https:// URL is required.";
        if (!string.IsNullOrEmpty(url.UserInfo)) return "The URL must not carry a user name or password; receivers check the Tandem-Signature header.";
        try
        {
            await AddressesAsync(url.IdnHost, ct);
            return null;
        }
        catch (WebhookAddressRefused e)
        {
            return e.Message;
        }
    }

    /// <summary>The host's addresses that may be connected to; throws <see cref="WebhookAddressRefused"/> when none may.</summary>
    public async Task<IPAddress[]> AddressesAsync(string host, CancellationToken ct)
    {
        IPAddress[] resolved;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal)) resolved = [literal];
        else
        {
            try { resolved = await Dns.GetHostAddressesAsync(host, ct); }
            catch (SocketException) { resolved = []; }
            if (resolved.Length == 0) throw new WebhookAddressRefused($"The host name {host} does not resolve.");
        }
        var privateAllowed = Rules.AllowsPrivate(host);
        var refused = resolved.Where(a => AddressRanges.Classify(a) is { } kind && !(privateAllowed && kind != AddressKind.Metadata)).ToList();
        if (refused.Count > 0)
            throw new WebhookAddressRefused(
                $"{host} resolves to a {Describe(AddressRanges.Classify(refused[0])!.Value)} address ({refused[0]}), which webhooks may not reach" +
                (privateAllowed ? "." : "; an admin can allow a receiver inside the network by its host name (Tandem__Notifications__Webhooks__AllowPrivateHosts)."));
        return resolved;
    }

    /// <summary>Connects to the request's host at an address checked just now, never re-resolving the name.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var addresses = await AddressesAsync(context.DnsEndPoint.Host, ct);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string Describe(AddressKind kind) => kind switch
    {
        AddressKind.Loopback => "loopback",
        AddressKind.Private => "private",
        AddressKind.LinkLocal => "link-local",
        AddressKind.Metadata => "cloud metadata",
        _ => "reserved",
    };
}

/// <summary>A webhook address Tandem will not connect to.</summary>
internal sealed class WebhookAddressRefused(string message) : Exception(message);

internal enum AddressKind { Loopback, Private, LinkLocal, Metadata, Reserved }

/// <summary>Which addresses are not the public internet: a pure function over the address, tested on its own.</summary>
internal static class AddressRanges
{
    private static readonly (IPNetwork Network, AddressKind Kind)[] Ranges =
    [
        (IPNetwork.Parse("169.254.169.254/32"), AddressKind.Metadata),   // AWS, GCP, Azure, OpenStack…
        (IPNetwork.Parse("100.100.100.200/32"), AddressKind.Metadata),   // Alibaba Cloud
        (IPNetwork.Parse("fd00:ec2::254/128"), AddressKind.Metadata),    // AWS over IPv6
        (IPNetwork.Parse("0.0.0.0/8"), AddressKind.Reserved),
        (IPNetwork.Parse("10.0.0.0/8"), AddressKind.Private),
        (IPNetwork.Parse("100.64.0.0/10"), AddressKind.Private),         // carrier-grade NAT
        (IPNetwork.Parse("127.0.0.0/8"), AddressKind.Loopback),
        (IPNetwork.Parse("169.254.0.0/16"), AddressKind.LinkLocal),
        (IPNetwork.Parse("172.16.0.0/12"), AddressKind.Private),
        (IPNetwork.Parse("192.0.0.0/24"), AddressKind.Reserved),
        (IPNetwork.Parse("192.0.2.0/24"), AddressKind.Reserved),         // documentation
        (IPNetwork.Parse("192.168.0.0/16"), AddressKind.Private),
        (IPNetwork.Parse("198.18.0.0/15"), AddressKind.Reserved),        // benchmarking
        (IPNetwork.Parse("198.51.100.0/24"), AddressKind.Reserved),
        (IPNetwork.Parse("203.0.113.0/24"), AddressKind.Reserved),
        (IPNetwork.Parse("224.0.0.0/3"), AddressKind.Reserved),          // multicast, reserved, broadcast
        (IPNetwork.Parse("::/128"), AddressKind.Reserved),
        (IPNetwork.Parse("::1/128"), AddressKind.Loopback),
        (IPNetwork.Parse("64:ff9b:1::/48"), AddressKind.Private),        // local-use NAT64
        (IPNetwork.Parse("100::/64"), AddressKind.Reserved),             // discard
        (IPNetwork.Parse("2001:db8::/32"), AddressKind.Reserved),        // documentation
        (IPNetwork.Parse("fc00::/7"), AddressKind.Private),              // unique local
        (IPNetwork.Parse("fe80::/10"), AddressKind.LinkLocal),
        (IPNetwork.Parse("fec0::/10"), AddressKind.Private),             // site-local (deprecated)
        (IPNetwork.Parse("ff00::/8"), AddressKind.Reserved),             // multicast
    ];

    /// <returns>What kind of non-public address this is, or null for a public one.</returns>
    public static AddressKind? Classify(IPAddress address)
    {
        // An IPv4 address written as IPv6 (::ffff:10.0.0.1), or embedded by NAT64 (64:ff9b::10.0.0.1), is judged as the IPv4 address.
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        else if (address.AddressFamily == AddressFamily.InterNetworkV6 && IPNetwork.Parse("64:ff9b::/96").Contains(address))
            address = new IPAddress(address.GetAddressBytes()[12..]);
        foreach (var (network, kind) in Ranges)
            if (network.Contains(address)) return kind;
        return null;
    }
}
