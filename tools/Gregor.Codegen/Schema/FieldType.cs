namespace Gregor.Codegen.Schema;

public enum FieldKind { Bool, Int8, Int16, UInt16, Int32, UInt32, Int64, Float64, Uuid, String, Bytes, Records, Struct, Array }

/// <summary>A schema type: a primitive, a struct (by name), or an array of either.</summary>
public sealed record FieldType(FieldKind Kind, string? StructName = null, FieldType? Element = null)
{
    public static FieldType Parse(string text)
    {
        if (text.StartsWith("[]", StringComparison.Ordinal)) return new(FieldKind.Array, Element: Parse(text[2..]));
        return text switch
        {
            "bool" => new(FieldKind.Bool),
            "int8" => new(FieldKind.Int8),
            "int16" => new(FieldKind.Int16),
            "uint16" => new(FieldKind.UInt16),
            "int32" => new(FieldKind.Int32),
            "uint32" => new(FieldKind.UInt32),
            "int64" => new(FieldKind.Int64),
            "float64" => new(FieldKind.Float64),
            "uuid" => new(FieldKind.Uuid),
            "string" => new(FieldKind.String),
            "bytes" => new(FieldKind.Bytes),
            "records" => new(FieldKind.Records),
            _ when text.Length > 0 && char.IsUpper(text[0]) => new(FieldKind.Struct, StructName: text),
            _ => throw new InvalidDataException($"Unknown schema type '{text}'."),
        };
    }

    public bool IsStruct => Kind == FieldKind.Struct;
    public bool IsArray => Kind == FieldKind.Array;
    public bool IsStructArray => Kind == FieldKind.Array && Element!.IsStruct;

    /// <summary>Types whose wire form can be null (given nullableVersions).</summary>
    public bool CanBeNull => Kind is FieldKind.String or FieldKind.Bytes or FieldKind.Records or FieldKind.Array or FieldKind.Struct;
}
