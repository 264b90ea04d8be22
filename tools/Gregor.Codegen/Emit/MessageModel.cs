using Gregor.Codegen.Schema;

namespace Gregor.Codegen.Emit;

/// <summary>A class to emit: the message itself or one of its structs, with resolved C# names.</summary>
public sealed class StructModel
{
    public required string SchemaName { get; init; }
    public required string ClassName { get; set; }
    public required IReadOnlyList<FieldSpec> Fields { get; init; }
    /// <summary>Every version in which this struct can appear on the wire.</summary>
    public VersionRange Versions { get; set; } = VersionRange.None;
    public bool IsTopLevel { get; init; }
    /// <summary>Set when some field holds this struct directly (not in an array), so it needs IsDefault().</summary>
    public bool UsedAsSingleField { get; set; }
}

/// <summary>A message and all the structs nested in it, named so that nothing collides in C#.</summary>
public sealed class MessageModel
{
    private static readonly string[] ReservedMemberNames =
        ["Key", "LowestSupportedVersion", "HighestSupportedVersion", "FlexibleVersionsStart", "Read", "Write", "UnknownTaggedFields", "IsDefault"];

    private readonly Dictionary<string, StructModel> _structsBySchemaName = new(StringComparer.Ordinal);

    public MessageSpec Spec { get; }
    public StructModel Root { get; }
    /// <summary>Nested structs in the order they are first met in the schema (deterministic).</summary>
    public List<StructModel> Structs { get; } = [];

    public MessageModel(MessageSpec spec)
    {
        Spec = spec;
        Root = new StructModel { SchemaName = spec.Name, ClassName = spec.Name, Fields = spec.Fields, IsTopLevel = true, Versions = spec.ValidVersions };
        foreach (var common in spec.CommonStructs)
            Register(common.Name, common.Fields);
        Collect(spec.Fields);
        foreach (var field in spec.Fields) Widen(field, spec.ValidVersions);
        ResolveNames();
    }

    /// <summary>
    /// The C# property name: the schema name with a capital first letter (group coordinator records use
    /// camelCase). A name that would clash with a generated member (FindCoordinatorRequest's "Key" and
    /// the Key constant) gets a "Value" suffix.
    /// </summary>
    public static string PropertyName(FieldSpec field)
    {
        string name = char.ToUpperInvariant(field.Name[0]) + field.Name[1..];
        return ReservedMemberNames.Contains(name) ? name + "Value" : name;
    }

    public StructModel StructFor(FieldType type)
    {
        string name = type.IsArray ? type.Element!.StructName! : type.StructName!;
        return _structsBySchemaName.TryGetValue(name, out var model)
            ? model
            : throw new InvalidDataException($"{Spec.Name}: struct type '{name}' is never defined.");
    }

    /// <summary>The C# name to use for a struct type inside generated code (qualified by the message class).</summary>
    public string QualifiedName(StructModel model) => $"{Root.ClassName}.{model.ClassName}";

    private void Collect(IReadOnlyList<FieldSpec> fields)
    {
        foreach (var field in fields)
        {
            if (field.Fields is null) continue;
            var type = field.Type.IsArray ? field.Type.Element! : field.Type;
            if (!type.IsStruct) throw new InvalidDataException($"{Spec.Name}.{field.Name} declares fields but is not a struct type.");
            Register(type.StructName!, field.Fields);
            Collect(field.Fields);
        }
    }

    private void Register(string name, IReadOnlyList<FieldSpec> fields)
    {
        if (_structsBySchemaName.TryGetValue(name, out var existing))
        {
            if (!SameShape(existing.Fields, fields))
                throw new InvalidDataException($"{Spec.Name}: struct '{name}' is defined twice with different fields.");
            return;
        }
        var model = new StructModel { SchemaName = name, ClassName = name, Fields = fields };
        _structsBySchemaName.Add(name, model);
        Structs.Add(model);
        Collect(fields);
    }

    /// <summary>Records every version a struct can appear in, following each field that uses it.</summary>
    private void Widen(FieldSpec field, VersionRange context)
    {
        var present = field.Versions.Intersect(context);
        if (present.IsEmpty) return;
        var type = field.Type.IsArray ? field.Type.Element! : field.Type;
        if (!type.IsStruct) return;
        var model = StructFor(type);
        if (!field.Type.IsArray) model.UsedAsSingleField = true;
        var widened = model.Versions.IsEmpty
            ? present
            : new VersionRange(Math.Min(model.Versions.Lowest, present.Lowest), Math.Max(model.Versions.Highest, present.Highest));
        if (widened == model.Versions) return;
        model.Versions = widened;
        foreach (var inner in model.Fields) Widen(inner, widened);
    }

    /// <summary>
    /// C# forbids a nested type named like a member of its enclosing class, or a member named like its
    /// own class. Such structs get a "Data" suffix; everything else keeps the schema's name.
    /// </summary>
    private void ResolveNames()
    {
        var taken = new HashSet<string>(StringComparer.Ordinal) { Root.ClassName };
        foreach (var name in ReservedMemberNames) taken.Add(name);
        foreach (var field in Root.Fields) taken.Add(PropertyName(field));
        foreach (var model in Structs)
        {
            var ownMembers = model.Fields.Select(PropertyName).ToHashSet(StringComparer.Ordinal);
            string name = model.SchemaName;
            while (taken.Contains(name) || ownMembers.Contains(name) || ReservedMemberNames.Contains(name)) name += "Data";
            model.ClassName = name;
            taken.Add(name);
        }
        foreach (var field in Root.Fields)
            if (PropertyName(field) == Root.ClassName)
                throw new InvalidDataException($"{Spec.Name}: field '{field.Name}' collides with a generated member name.");
    }

    private static bool SameShape(IReadOnlyList<FieldSpec> a, IReadOnlyList<FieldSpec> b)
    {
        if (a.Count != b.Count) return false;
        for (int i = 0; i < a.Count; i++)
        {
            var x = a[i];
            var y = b[i];
            if (x.Name != y.Name || x.Type != y.Type || x.Versions != y.Versions || x.NullableVersions != y.NullableVersions
                || x.TaggedVersions != y.TaggedVersions || x.Tag != y.Tag || x.Default != y.Default)
                return false;
            if ((x.Fields is null) != (y.Fields is null)) return false;
            if (x.Fields is not null && !SameShape(x.Fields, y.Fields!)) return false;
        }
        return true;
    }
}
