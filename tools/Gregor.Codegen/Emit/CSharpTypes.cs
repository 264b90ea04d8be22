using System.Globalization;
using Gregor.Codegen.Schema;

namespace Gregor.Codegen.Emit;

/// <summary>How schema types and defaults map to C#.</summary>
public sealed class CSharpTypes(MessageModel model)
{
    public static string Primitive(FieldKind kind) => kind switch
    {
        FieldKind.Bool => "bool",
        FieldKind.Int8 => "sbyte",
        FieldKind.Int16 => "short",
        FieldKind.UInt16 => "ushort",
        FieldKind.Int32 => "int",
        FieldKind.UInt32 => "uint",
        FieldKind.Int64 => "long",
        FieldKind.Float64 => "double",
        FieldKind.Uuid => "Guid",
        FieldKind.String => "string",
        FieldKind.Bytes => "byte[]",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a primitive."),
    };

    public static bool IsNumeric(FieldKind kind) =>
        kind is FieldKind.Int8 or FieldKind.Int16 or FieldKind.UInt16 or FieldKind.Int32 or FieldKind.UInt32 or FieldKind.Int64 or FieldKind.Float64;

    /// <summary>The property type: reference types get '?' when the schema allows null in any version.</summary>
    public string PropertyType(FieldSpec field)
    {
        string nullable = field.IsNullable ? "?" : "";
        return field.Type.Kind switch
        {
            FieldKind.Records => "ReadOnlyMemory<byte>?",
            FieldKind.Struct => model.QualifiedName(model.StructFor(field.Type)) + nullable,
            FieldKind.Array => $"List<{ElementType(field.Type.Element!)}>{nullable}",
            FieldKind.String or FieldKind.Bytes => Primitive(field.Type.Kind) + nullable,
            _ => Primitive(field.Type.Kind),
        };
    }

    public string ElementType(FieldType element) =>
        element.IsStruct ? model.QualifiedName(model.StructFor(element)) : Primitive(element.Kind);

    /// <summary>The property initializer (" = ...;"), or "" when C#'s own default already matches Kafka's.</summary>
    public string Initializer(FieldSpec field)
    {
        bool startsNull = field.IsNullable && field.DefaultsToNull;
        switch (field.Type.Kind)
        {
            case FieldKind.Records:
            case FieldKind.Uuid:
                return "";
            case FieldKind.Bool:
                return Literal(field) == "true" ? " = true;" : "";
            case FieldKind.String:
                return startsNull ? "" : $" = {Literal(field)};";
            case FieldKind.Bytes:
            case FieldKind.Array:
                return startsNull ? "" : " = [];";
            case FieldKind.Struct:
                return startsNull ? "" : " = new();";
            default:
                string literal = Literal(field);
                return literal == "0" ? "" : $" = {literal};";
        }
    }

    /// <summary>A C# expression that is true when the property differs from the field's default.</summary>
    public string NonDefault(FieldSpec field, string access)
    {
        bool defaultNull = field.IsNullable && field.DefaultsToNull;
        return field.Type.Kind switch
        {
            FieldKind.Uuid => $"{access} != Guid.Empty",
            FieldKind.String => defaultNull ? $"{access} is not null" : $"{access} != {Literal(field)}",
            FieldKind.Bytes => defaultNull ? $"{access} is not null" : $"{access} is not {{ Length: 0 }}",
            FieldKind.Records => $"{access} is not null",
            FieldKind.Array => defaultNull ? $"{access} is not null" : $"{access} is not {{ Count: 0 }}",
            FieldKind.Struct => defaultNull ? $"{access} is not null" : $"({access} is null || !{access}.IsDefault())",
            _ => $"{access} != {Literal(field)}",
        };
    }

    /// <summary>The field's default as a C# literal of its type (numbers, bools and strings only).</summary>
    public static string Literal(FieldSpec field)
    {
        string? text = field.Default;
        switch (field.Type.Kind)
        {
            case FieldKind.Bool:
                if (text is null) return "false";
                return bool.Parse(text) ? "true" : "false";
            case FieldKind.String:
                if (text is null || text == "null") return "\"\"";
                return StringLiteral(text);
            case FieldKind.Float64:
                if (text is null) return "0";
                return double.Parse(text, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
            default:
                if (!IsNumeric(field.Type.Kind)) throw new InvalidOperationException($"No literal for {field.Type.Kind}.");
                if (text is null) return "0";
                long value = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                    ? long.Parse(text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                    : long.Parse(text, CultureInfo.InvariantCulture);
                CheckRange(field, value);
                string literal = value.ToString(CultureInfo.InvariantCulture);
                return value is > int.MaxValue or < int.MinValue ? literal + "L" : literal;
        }
    }

    private static void CheckRange(FieldSpec field, long value)
    {
        (long min, long max) = field.Type.Kind switch
        {
            FieldKind.Int8 => (sbyte.MinValue, sbyte.MaxValue),
            FieldKind.Int16 => (short.MinValue, short.MaxValue),
            FieldKind.UInt16 => (ushort.MinValue, ushort.MaxValue),
            FieldKind.Int32 => (int.MinValue, int.MaxValue),
            FieldKind.UInt32 => (uint.MinValue, uint.MaxValue),
            _ => (long.MinValue, long.MaxValue),
        };
        if (value < min || value > max)
            throw new InvalidDataException($"Default {value} of field {field.Name} does not fit its type {field.Type.Kind}.");
    }

    public static string StringLiteral(string text)
    {
        var builder = new System.Text.StringBuilder("\"");
        foreach (char c in text)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return builder.Append('"').ToString();
    }
}
