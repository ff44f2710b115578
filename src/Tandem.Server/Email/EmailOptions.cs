namespace Tandem.Server.Email;

/// <summary>Settings under "Tandem:Email": the SMTP relay email goes through, how the sender paces itself, and the public address links point at.</summary>
internal sealed class EmailOptions
{
    public const string Section = "Tandem:Email";

    /// <summary>Where the public pages (unsubscribe, preferences, tracking) are reached from outside; default: the server's first bound http address.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>When set, each send's Reply-To is reply+TOKEN@ReplyDomain, so a reply can be matched to its send.</summary>
    public string? ReplyDomain { get; set; }

    /// <summary>Run the sending loop in this server. Several servers may run it against one PostgreSQL database.</summary>
    public bool SenderEnabled { get; set; } = true;

    /// <summary>How often the sender looks for due email when idle.</summary>
    public int TickMilliseconds { get; set; } = 500;

    /// <summary>Sends claimed per round, all over one SMTP connection.</summary>
    public int Batch { get; set; } = 100;

    /// <summary>How long a claim lasts; a send still 'sending' after it is marked 'unknown', never sent again.</summary>
    public int LeaseSeconds { get; set; } = 300;

    /// <summary>At most this many emails per second from this server (0: no limit).</summary>
    public int MaxPerSecond { get; set; }

    /// <summary>At most this many emails per minute to one recipient domain from this server (0: no limit).</summary>
    public int MaxPerDomainPerMinute { get; set; }

    /// <summary>Attempts before a send that keeps failing temporarily is marked failed.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The first retry of a temporary failure waits this long; each further one doubles it (capped at six hours).</summary>
    public double RetryBaseSeconds { get; set; } = 60;

    public SmtpRelayOptions Smtp { get; set; } = new();

    public TimeSpan Backoff(int attempt) => TimeSpan.FromSeconds(Math.Min(6 * 3600, RetryBaseSeconds * Math.Pow(2, Math.Max(0, attempt - 1))));
}

/// <summary>How to reach the SMTP relay: TLS is used whenever it is offered (Auto), authentication when a user name is set.</summary>
internal sealed class SmtpRelayOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public string? Username { get; set; }
    public string? Password { get; set; }
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>Auto: TLS on connect for port 465, STARTTLS whenever the server offers it otherwise.</summary>
internal enum SmtpSecurity { Auto, None, StartTls, SslOnConnect }
