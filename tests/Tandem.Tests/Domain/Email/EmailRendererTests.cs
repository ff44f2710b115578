using Tandem.Domain.Email;

namespace Tandem.Tests.Domain.Email;

public class EmailRendererTests
{
    private static readonly EmailBrand Brand = new("Lumen", "#ff6600", "Lumen GmbH\nHauptstraße 1\n10115 Berlin");
    private static readonly EmailExtras Transactional = new("You asked for this a moment ago.");

    private static MergeData Sam(string? firstName = "Sam", IReadOnlyDictionary<string, string?>? custom = null) =>
        new(firstName, "Rivera", "sam@acme.io", "Acme", "CTO", "Ana Silva", "ana@lumen.io", "Ana Silva\nAccount Executive",
            custom ?? new Dictionary<string, string?>());

    private static RenderedEmail Render(string body, MergeData data, EmailExtras? extras = null, string subject = "Hello {{firstName}}") =>
        EmailRenderer.Render(new EmailTemplateContent(subject, "Before you go", body), data, Brand, extras ?? Transactional);

    [Fact]
    public void Merge_fields_fill_subject_body_and_text_with_the_persons_and_owners_data()
    {
        var email = Render("Hi {{firstName}} {{lastName}} of {{company}} ({{title}}), write to {{owner.email}}.\n\n{{owner.signature}}", Sam());

        Assert.Equal("Hello Sam", email.Subject);
        Assert.Contains("Hi Sam Rivera of Acme (CTO), write to ana@lumen.io.", email.Text);
        Assert.Contains("Ana Silva<br />\nAccount Executive", email.Html);
        Assert.Contains("Ana Silva\nAccount Executive", email.Text);
    }

    [Fact]
    public void A_blank_value_takes_its_default_and_a_missing_one_without_default_is_empty()
    {
        var email = Render("Hi {{firstName | default: \"there\"}},{{lastName}}", Sam(firstName: "  ") with { LastName = null });
        Assert.Contains("Hi there,", email.Text);
        Assert.Contains("<p style=\"margin:0 0 16px;\">Hi there,</p>", email.Html);
    }

    [Fact]
    public void Custom_fields_are_merged_by_name()
    {
        var email = Render("Your plan: {{custom.plan}}; seats {{custom.seats | default: \"unknown\"}}",
            Sam(custom: new Dictionary<string, string?> { ["plan"] = "Pro" }));
        Assert.Contains("Your plan: Pro; seats unknown", email.Text);
    }

    [Fact]
    public void Values_are_html_escaped_and_cannot_inject_markup_or_links()
    {
        var evil = Sam(firstName: "<script>alert(1)</script> [win](https://evil.example) **bold** & <b>x</b>\n# Heading");
        var email = Render("Hi {{firstName}}!", evil, subject: "Hello {{firstName}}");

        Assert.DoesNotContain("<script>", email.Html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", email.Html);
        Assert.DoesNotContain("evil.example\"", email.Html);
        Assert.DoesNotContain("<strong>", email.Html);
        Assert.DoesNotContain("<h1", email.Html);
        Assert.Contains("&amp; &lt;b&gt;x&lt;/b&gt;", email.Html);
        // The plain-text part shows the value as the person typed it.
        Assert.Contains("[win](https://evil.example) **bold** & <b>x</b>", email.Text);
        Assert.DoesNotContain('\n', email.Subject);
    }

    [Fact]
    public void Unknown_and_malformed_fields_are_named_when_the_template_is_checked()
    {
        var errors = MergeFields.Validate("Hi {{firstname}}, {{custom.plan}} {{owner.name}} {{ company | upper }} {{custom.}}");

        Assert.Equal(["firstname", "company | upper", "custom."], errors.Select(e => e.Field));
        Assert.Contains("'firstname' is not a merge field", errors[0].Reason);
        Assert.Empty(MergeFields.Validate("{{firstName | default: \"there\"}} {{ owner.signature }} {{custom.favourite-colour}}"));
    }

    [Fact]
    public void Markdown_becomes_html_in_a_layout_with_brand_company_preheader_and_address()
    {
        var email = Render("# Welcome\n\nRead **the guide**:\n\n- one\n- two", Sam());

        Assert.Contains("<h1 style=", email.Html);
        Assert.Contains("<strong>the guide</strong>", email.Html);
        Assert.Contains("<li>one</li>", email.Html);
        Assert.Contains("background-color:#ff6600", email.Html);
        Assert.Contains(">Lumen</td>", email.Html);
        Assert.Contains("Before you go</div>", email.Html);
        Assert.Contains("Hauptstraße 1", email.Html);
        Assert.Contains("role=\"presentation\"", email.Html);
        Assert.Contains("- one\n- two", email.Text);
        Assert.Contains("10115 Berlin", email.Text);
        Assert.DoesNotContain("Unsubscribe", email.Html);
    }

    [Fact]
    public void A_brand_colour_that_is_not_hex_falls_back_to_the_default()
    {
        var email = EmailRenderer.Render(new EmailTemplateContent("s", null, "b"), Sam(), Brand with { BrandColor = "red;background:url(x)" }, Transactional);
        Assert.DoesNotContain("url(x)", email.Html);
        Assert.Contains(EmailRenderer.DefaultBrandColor, email.Html);
    }

    [Fact]
    public void Marketing_extras_add_unsubscribe_preferences_pixel_and_rewrite_every_web_link()
    {
        var extras = new EmailExtras("You subscribed to Lumen news.", "https://t.example/e/u/1.sig", "https://t.example/e/p/7.sig",
            "https://t.example/e/o/1.sig.gif", url => "https://t.example/e/c/1.x?u=" + Uri.EscapeDataString(url));
        var email = Render("See [pricing](https://lumen.io/pricing) or [mail us](mailto:hi@lumen.io) ![logo](https://lumen.io/logo.png)", Sam(), extras);

        Assert.Contains("href=\"https://t.example/e/c/1.x?u=https%3A%2F%2Flumen.io%2Fpricing\"", email.Html);
        Assert.Contains("href=\"mailto:hi@lumen.io\"", email.Html);
        Assert.Contains("src=\"https://lumen.io/logo.png\"", email.Html);
        Assert.Contains("<a href=\"https://t.example/e/u/1.sig\"", email.Html);
        Assert.Contains("https://t.example/e/p/7.sig", email.Html);
        Assert.Contains("<img src=\"https://t.example/e/o/1.sig.gif\" width=\"1\" height=\"1\"", email.Html);
        Assert.Contains("pricing (https://t.example/e/c/1.x?u=https%3A%2F%2Flumen.io%2Fpricing)", email.Text);
        Assert.Contains("Unsubscribe: https://t.example/e/u/1.sig", email.Text);
        Assert.Contains("You subscribed to Lumen news.", email.Text);
    }

    [Fact]
    public void Raw_html_in_a_template_is_shown_as_text()
    {
        var email = Render("<iframe src=\"https://x.example\"></iframe>", Sam());
        Assert.DoesNotContain("<iframe", email.Html);
    }
}
