using System.Text;

namespace Gregor.Codegen.Emit;

/// <summary>Builds C# source with consistent indentation and '\n' line endings on every platform.</summary>
public sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public void Line(string line = "")
    {
        if (line.Length > 0) _text.Append(' ', _indent * 4).Append(line);
        _text.Append('\n');
    }

    public void Open(string line)
    {
        Line(line);
        Line("{");
        _indent++;
    }

    public void Close(string suffix = "")
    {
        _indent--;
        Line("}" + suffix);
    }

    public void Indent() => _indent++;
    public void Outdent() => _indent--;

    public override string ToString() => _text.ToString();
}
