namespace Tandem.Server.Notifications;

/// <summary>Settings under "Tandem:Notifications": how often the outbox is checked and how failed deliveries are retried.</summary>
internal sealed class NotificationOptions
{
    public const string Section = "Tandem:Notifications";

    /// <summary>Run the delivery loop in this server. Several servers may all run it against one PostgreSQL database.</summary>
    public bool Deliver { get; set; } = true;

    /// <summary>How often the outbox is checked when idle.</summary>
    public int PollMilliseconds { get; set; } = 200;

    /// <summary>Attempts per delivery before it is marked failed.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first retry waits this long; each further retry doubles it (capped at one hour).</summary>
    public double RetryBaseSeconds { get; set; } = 10;

    /// <summary>A webhook receiver that takes longer than this counts as failed.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Where webhooks may go beyond public https receivers.</summary>
    public WebhookOptions Webhooks { get; set; } = new();

    public TimeSpan Backoff(int attempt) =>
        TimeSpan.FromSeconds(Math.Min(3600, RetryBaseSeconds * Math.Pow(2, Math.Max(0, attempt - 1))));
}

/// <summary>Settings under "Tandem:Notifications:Smtp"; email is sent only when Host and From are set.</summary>
internal sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public string? From { get; set; }
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public bool EnableSsl { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host) && !string.IsNullOrWhiteSpace(From);
}
