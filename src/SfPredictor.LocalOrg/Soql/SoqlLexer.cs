using System.Text;
using System.Text.RegularExpressions;

namespace SfPredictor.LocalOrg.Soql;

internal enum TokenKind
{
    Identifier,
    String,
    Number,
    Date,
    DateTime,
    Comma,
    Dot,
    Colon,
    OpenParen,
    CloseParen,
    Operator,
    End,
}

/// <summary>One token; <see cref="Value"/> is the unescaped text of a string literal, else the source text.</summary>
internal readonly record struct Token(TokenKind Kind, string Value, int Position)
{
    public bool IsKeyword(string keyword) =>
        Kind == TokenKind.Identifier && Value.Equals(keyword, StringComparison.OrdinalIgnoreCase);

    public string Display => Kind == TokenKind.End ? "<EOF>" : $"'{Value}'";
}

/// <summary>Splits SOQL text into tokens.</summary>
internal static partial class SoqlLexer
{
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Identifier, text[start..i], start));
            }
            else if (char.IsAsciiDigit(c) || (c is '-' or '+' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                tokens.Add(ReadNumberOrDate(text, ref i));
            }
            else if (c == '\'')
            {
                tokens.Add(new Token(TokenKind.String, ReadString(text, ref i), start));
            }
            else if (c is '=' or '!' or '<' or '>')
            {
                i++;
                if (i < text.Length && (text[i] == '=' || (c == '<' && text[i] == '>')))
                {
                    i++;
                }

                var op = text[start..i];
                if (op == "!")
                {
                    throw new SoqlException(SoqlErrorCodes.MalformedQuery, "unexpected token: '!'", start);
                }

                tokens.Add(new Token(TokenKind.Operator, op, start));
            }
            else
            {
                var kind = c switch
                {
                    ',' => TokenKind.Comma,
                    '.' => TokenKind.Dot,
                    ':' => TokenKind.Colon,
                    '(' => TokenKind.OpenParen,
                    ')' => TokenKind.CloseParen,
                    _ => throw new SoqlException(SoqlErrorCodes.MalformedQuery, $"unexpected token: '{c}'", start),
                };
                tokens.Add(new Token(kind, c.ToString(), start));
                i++;
            }
        }

        tokens.Add(new Token(TokenKind.End, string.Empty, text.Length));
        return tokens;
    }

    private static Token ReadNumberOrDate(string text, ref int i)
    {
        var start = i;
        var dateMatch = DateOrDateTime().Match(text, i);
        if (dateMatch.Success && dateMatch.Index == i)
        {
            i += dateMatch.Length;
            var kind = dateMatch.Groups["time"].Success ? TokenKind.DateTime : TokenKind.Date;
            return new Token(kind, dateMatch.Value, start);
        }

        var numberMatch = Number().Match(text, i);
        i += numberMatch.Length;

        // Digits run straight into letters (2024abc) or a datetime lacks its zone (2024-01-01T10:00:00).
        if (i < text.Length && (char.IsAsciiLetter(text[i]) || text[i] is '_' or '-' or ':'))
        {
            var end = i;
            while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] is not (')' or ','))
            {
                end++;
            }

            throw new SoqlException(SoqlErrorCodes.MalformedQuery, $"line 1:{start} no viable alternative at character '{text[start..end]}'", start);
        }

        return new Token(TokenKind.Number, numberMatch.Value, start);
    }

    private static string ReadString(string text, ref int i)
    {
        var start = i;
        var value = new StringBuilder();
        i++;
        while (i < text.Length)
        {
            var c = text[i++];
            if (c == '\'')
            {
                return value.ToString();
            }

            if (c != '\\')
            {
                value.Append(c);
                continue;
            }

            if (i >= text.Length)
            {
                break;
            }

            var escaped = text[i++];
            switch (escaped)
            {
                case 'n': value.Append('\n'); break;
                case 'r': value.Append('\r'); break;
                case 't': value.Append('\t'); break;
                case 'b': value.Append('\b'); break;
                case 'f': value.Append('\f'); break;
                case '\'' or '"' or '\\': value.Append(escaped); break;

                // LIKE patterns keep these escapes: they mean a literal % or _.
                case '%' or '_': value.Append('\\').Append(escaped); break;
                default:
                    throw new SoqlException(SoqlErrorCodes.MalformedQuery, $"Invalid string literal '{text[start..Math.Min(text.Length, i)]}'. Illegal character sequence '\\{escaped}' in string literal.", start);
            }
        }

        throw new SoqlException(SoqlErrorCodes.MalformedQuery, $"line 1:{start} mismatched character '<EOF>' expecting '''", start);
    }

    [GeneratedRegex(@"\G\d{4}-\d{2}-\d{2}(?<time>T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2}))?(?![\w:])", RegexOptions.CultureInvariant)]
    private static partial Regex DateOrDateTime();

    [GeneratedRegex(@"\G[+-]?\d+(\.\d+)?", RegexOptions.CultureInvariant)]
    private static partial Regex Number();
}
