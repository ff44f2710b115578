using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tandem.Bench.Kit;

/// <summary>
/// A small SMTP server on loopback that accepts every message and counts it: the receiving end of the email benchmarks.
/// It speaks enough of RFC 5321 for any client (EHLO with PIPELINING and 8BITMIME, MAIL, RCPT, DATA with dot-unstuffing
/// ignored, RSET, NOOP, QUIT), stores nothing, and is cheap, so a benchmark measures the sender rather than the sink.
/// Tandem's own sends and a raw MailKit loop go to the same sink in the same run.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;
    private long accepted;
    private long bytes;

    public SmtpSink()
    {
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Messages accepted so far (each answered 250 after its DATA).</summary>
    public long Accepted => Interlocked.Read(ref accepted);

    public long Bytes => Interlocked.Read(ref bytes);

    /// <summary>Waits until <paramref name="count"/> messages have been accepted, checking every few milliseconds.</summary>
    public async Task WaitForAsync(long count, TimeSpan timeout, Func<string>? progress = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var nextReport = DateTime.UtcNow.AddSeconds(10);
        while (Accepted < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The SMTP sink accepted {Accepted:N0} of {count:N0} messages in {timeout}.");
            if (progress is not null && DateTime.UtcNow > nextReport) { Console.WriteLine($"   … {progress()}"); nextReport = DateTime.UtcNow.AddSeconds(10); }
            await Task.Delay(5);
        }
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        client.NoDelay = true;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.Latin1, false, 64 * 1024);
        await using var writer = new StreamWriter(stream, Encoding.ASCII, 4096) { NewLine = "\r\n", AutoFlush = false };
        try
        {
            await writer.WriteLineAsync("220 bench-sink ESMTP");
            await writer.FlushAsync();
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                var verb = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-bench-sink");
                        await writer.WriteLineAsync("250-PIPELINING");
                        await writer.WriteLineAsync("250-8BITMIME");
                        await writer.WriteLineAsync("250 SIZE 52428800");
                        break;
                    case "HELO": await writer.WriteLineAsync("250 bench-sink"); break;
                    case "MAIL" or "RCPT" or "RSET" or "NOOP": await writer.WriteLineAsync("250 OK"); break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        await writer.FlushAsync();
                        long size = 0;
                        while (await reader.ReadLineAsync(stop.Token) is { } data && data != ".") size += data.Length + 2;
                        Interlocked.Add(ref bytes, size);
                        Interlocked.Increment(ref accepted);
                        await writer.WriteLineAsync("250 OK queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 Bye");
                        await writer.FlushAsync();
                        return;
                    default: await writer.WriteLineAsync("502 Command not implemented"); break;
                }
                await writer.FlushAsync();
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The client went away; nothing to keep.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try { await accepting; } catch (OperationCanceledException) { }
        stop.Dispose();
    }
}
