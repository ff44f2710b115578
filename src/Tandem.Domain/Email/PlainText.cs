using System.Text;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Tandem.Domain.Email;

/// <summary>
/// The plain-text part of an email from the same parsed Markdown as the HTML part: paragraphs and headings as lines,
/// lists with their markers, and each link as its text followed by its address, so the text part is complete on its own.
/// </summary>
internal static class PlainText
{
    public static string Of(MarkdownDocument document)
    {
        var sb = new StringBuilder();
        Blocks(document, sb, "");
        return sb.ToString().TrimEnd() + "\n";
    }

    private static void Blocks(ContainerBlock container, StringBuilder sb, string prefix)
    {
        foreach (var block in container)
        {
            switch (block)
            {
                case ListBlock list:
                    var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
                    foreach (var item in list.OfType<ListItemBlock>())
                    {
                        var marker = list.IsOrdered ? $"{number++}. " : "- ";
                        var inner = new StringBuilder();
                        Blocks(item, inner, "");
                        var lines = inner.ToString().TrimEnd().Split('\n');
                        for (var i = 0; i < lines.Length; i++)
                            sb.Append(prefix).Append(i == 0 ? marker : new string(' ', marker.Length)).Append(lines[i]).Append('\n');
                    }
                    sb.Append(prefix).Append('\n');
                    break;
                case QuoteBlock quote:
                    Blocks(quote, sb, prefix + "> ");
                    break;
                case ContainerBlock other:
                    Blocks(other, sb, prefix);
                    break;
                case ThematicBreakBlock:
                    sb.Append(prefix).Append("----\n\n");
                    break;
                case LeafBlock { Inline: { } inline }:
                    var text = new StringBuilder();
                    Inlines(inline, text);
                    foreach (var line in text.ToString().Split('\n')) sb.Append(prefix).Append(line).Append('\n');
                    sb.Append(prefix.TrimEnd()).Append('\n');
                    break;
                case LeafBlock leaf:
                    foreach (var line in leaf.Lines.Lines.Take(leaf.Lines.Count)) sb.Append(prefix).Append(line.ToString()).Append('\n');
                    sb.Append(prefix.TrimEnd()).Append('\n');
                    break;
            }
        }
    }

    private static void Inlines(ContainerInline container, StringBuilder sb)
    {
        foreach (var inline in container)
        {
            switch (inline)
            {
                case LiteralInline literal: sb.Append(literal.Content.ToString()); break;
                case CodeInline code: sb.Append(code.Content); break;
                case LineBreakInline: sb.Append('\n'); break;
                case HtmlEntityInline entity: sb.Append(entity.Transcoded.ToString()); break;
                case AutolinkInline auto: sb.Append(auto.Url); break;
                case LinkInline { IsImage: true } image:
                    var alt = new StringBuilder();
                    Inlines(image, alt);
                    sb.Append(alt);
                    break;
                case LinkInline link:
                    var label = new StringBuilder();
                    Inlines(link, label);
                    if (label.ToString() == link.Url) sb.Append(link.Url);
                    else sb.Append(label).Append(" (").Append(link.Url).Append(')');
                    break;
                case ContainerInline other: Inlines(other, sb); break;
            }
        }
    }
}
