using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Notifications;

/// <summary>
/// A real SMTP server on loopback (Python's aiosmtpd) that writes every message it receives to a folder: a readable
/// summary (.eml) and the raw MIME as received (.mime). Like a real relay it refuses some recipients: an address
/// containing "reject" gets a permanent 550 5.1.1, one containing "tempfail" a temporary 451 4.3.0.
/// </summary>
public sealed class SmtpSink : IDisposable
{
    private const string Script = """
        import email, email.policy, os, sys, time, uuid
        from aiosmtpd.controller import Controller
        folder, port = sys.argv[1], int(sys.argv[2])
        class Save:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if "reject" in address:
                    return "550 5.1.1 <" + address + ">: Recipient address rejected: User unknown"
                if "tempfail" in address:
                    return "451 4.3.0 <" + address + ">: Temporary failure, try again later"
                envelope.rcpt_tos.append(address)
                return "250 OK"
            async def handle_DATA(self, server, session, envelope):
                name = f"{folder}/{time.time_ns()}-{uuid.uuid4().hex}.eml"
                message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
                headers = "".join(f"{k}: {v}\n" for k, v in message.items())
                with open(name[:-4] + ".mime", "wb") as f:
                    f.write(envelope.original_content)
                if message.is_multipart():
                    part = message.get_body(preferencelist=("plain", "html"))
                    body = part.get_content() if part is not None else ""
                else:
                    body = message.get_content()
                with open(name + ".tmp", "w", encoding="utf-8") as f:
                    f.write("X-Envelope-To: " + ",".join(envelope.rcpt_tos) + "\n" + headers + "\n" + body)
                os.rename(name + ".tmp", name)
                return "250 OK"
        c = Controller(Save(), hostname="127.0.0.1", port=port)
        c.start()
        print("ready", flush=True)
        try:
            while True: time.sleep(3600)
        finally:
            c.stop()
        """;

    private readonly Process process;

    public int Port { get; }
    public string Folder { get; }

    private SmtpSink(Process process, int port, string folder) { this.process = process; Port = port; Folder = folder; }

    public static async Task<SmtpSink> StartAsync()
    {
        var folder = TempFolder.Create("smtp");
        var script = Path.Combine(folder, "..", $"smtp-sink-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(script, Script);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        // The system Python carries Debian's python3-aiosmtpd; a user-level Python (pyenv…) on PATH may not.
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var process = Process.Start(new ProcessStartInfo(python, ["-u", script, folder, port.ToString()])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        if (ready == "ready") return new SmtpSink(process, port, folder);

        if (!process.HasExited) process.Kill();
        var errors = await process.StandardError.ReadToEndAsync();
        process.Dispose();
        if (errors.Contains("No module named 'aiosmtpd'"))
        {
            // Like a missing PostgreSQL or Chromium: a visible skip on a developer's machine, a failure in CI.
            const string missing = "Python's aiosmtpd is not installed (Debian's python3-aiosmtpd; ./run-tests installs it).";
            if (TestDatabases.InCi) Assert.Fail(missing);
            Assert.Skip(missing);
        }
        Assert.Fail($"the SMTP sink did not start: {errors}");
        return null!;
    }

    public async Task<IReadOnlyList<string>> WaitForMessagesAsync(int count, TimeSpan? timeout = null)
    {
        var files = await Poll.UntilAsync(() => Task.FromResult(Directory.GetFiles(Folder, "*.eml")), f => f.Length >= count,
            $"the SMTP server has received {count} messages", timeout);
        return files.Order().Select(File.ReadAllText).ToList();
    }

    /// <summary>The raw MIME of the messages received so far, once there are at least <paramref name="count"/>, oldest first.</summary>
    public async Task<IReadOnlyList<MimeKit.MimeMessage>> WaitForMimeAsync(int count, TimeSpan? timeout = null)
    {
        var files = await Poll.UntilAsync(() => Task.FromResult(Directory.GetFiles(Folder, "*.eml")), f => f.Length >= count,
            $"the SMTP server has received {count} messages", timeout);
        return files.Order().Select(f => MimeKit.MimeMessage.Load(Path.ChangeExtension(f, ".mime"))).ToList();
    }

    /// <summary>How many messages have been received so far.</summary>
    public int Received => Directory.GetFiles(Folder, "*.eml").Length;

    public void Dispose()
    {
        if (!process.HasExited) process.Kill();
        process.Dispose();
    }
}
