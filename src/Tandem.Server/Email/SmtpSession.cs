using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Tandem.Server.Email;

/// <summary>What became of one message handed to the relay.</summary>
internal sealed record SmtpOutcome(bool Sent, bool Permanent, bool RecipientRejected, string? Error)
{
    public static readonly SmtpOutcome Accepted = new(true, false, false, null);
}

/// <summary>
/// One connection to the relay, opened on first use and reused for every message of a batch: TLS whenever the relay
/// offers it (or as configured), authentication when a user name is set. A broken connection is dropped and the next
/// message opens a new one.
/// </summary>
internal sealed class SmtpSession(SmtpRelayOptions relay) : IAsyncDisposable
{
    private SmtpClient? client;

    public async Task<SmtpOutcome> SendAsync(MimeMessage message, CancellationToken ct)
    {
        try
        {
            var smtp = await ConnectedAsync(ct);
            await smtp.SendAsync(message, ct);
            return SmtpOutcome.Accepted;
        }
        catch (SmtpCommandException e)
        {
            // The relay answered, and MailKit has reset the transaction: the connection stays good for the next message.
            var permanent = (int)e.StatusCode >= 500;
            return new SmtpOutcome(false, permanent, permanent && e.ErrorCode == SmtpErrorCode.RecipientNotAccepted,
                $"SMTP {(int)e.StatusCode} {e.Message.Trim()}");
        }
        catch (Exception e) when (e is SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException
                                      or AuthenticationException or System.Security.Authentication.AuthenticationException or NotSupportedException or TimeoutException
                                      || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            await DropAsync();
            return new SmtpOutcome(false, false, false, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private async Task<SmtpClient> ConnectedAsync(CancellationToken ct)
    {
        if (client is { IsConnected: true }) return client;
        await DropAsync();
        client = new SmtpClient();
        await client.ConnectAsync(relay.Host!, relay.Port, relay.Security switch
        {
            SmtpSecurity.None => SecureSocketOptions.None,
            SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.Auto,
        }, ct);
        if (!string.IsNullOrEmpty(relay.Username)) await client.AuthenticateAsync(relay.Username, relay.Password ?? "", ct);
        return client;
    }

    private async Task DropAsync()
    {
        if (client is null) return;
        try
        {
            if (client.IsConnected) await client.DisconnectAsync(true);
        }
        catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException)
        {
            // Already gone: nothing to close politely.
        }
        client.Dispose();
        client = null;
    }

    public async ValueTask DisposeAsync() => await DropAsync();
}
