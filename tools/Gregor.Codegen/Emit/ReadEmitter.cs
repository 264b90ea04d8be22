using Gregor.Codegen.Schema;

namespace Gregor.Codegen.Emit;

/// <summary>Emits a class's <c>static Read(KafkaReader, short)</c> method.</summary>
public sealed class ReadEmitter(MessageModel model, CSharpTypes types, CodeWriter code)
{
    public void Emit(StructModel target, VersionRange context, string qualifiedName)
    {
        code.Open($"public static {qualifiedName} Read(KafkaReader reader, short version)");
        if (target.IsTopLevel)
            code.Line($"if (version < LowestSupportedVersion || version > HighestSupportedVersion) throw KafkaProtocolException.UnsupportedVersion(\"{target.ClassName}\", version);");
        code.Line($"var result = new {qualifiedName}();");
        foreach (var field in target.Fields)
        {
            var regular = FieldVersions.Regular(field).Intersect(context);
            string condition = VersionCondition.For(regular, context);
            if (condition == VersionCondition.Never) continue;
            if (condition == VersionCondition.Always)
            {
                EmitAssignment(target, field, regular);
                continue;
            }
            code.Open($"if ({condition})");
            EmitAssignment(target, field, regular);
            code.Close();
        }
        EmitTaggedSection(target, context);
        code.Line("return result;");
        code.Close();
    }

    private void EmitAssignment(StructModel target, FieldSpec field, VersionRange versions)
    {
        string property = MessageModel.PropertyName(field);
        string fieldLabel = $"{target.ClassName}.{property}";
        string compact = VersionCondition.For(model.Spec.FlexibleVersions, versions);
        string nullable = VersionCondition.For(field.NullableVersions, versions);
        string nullError = $"KafkaProtocolException.NullField(\"{fieldLabel}\", version)";
        var type = field.Type;
        string expression = type.Kind switch
        {
            FieldKind.String => $"reader.ReadNullableString({compact})",
            FieldKind.Bytes => $"reader.ReadNullableBytes({compact})",
            FieldKind.Records => $"reader.ReadRecords({compact})",
            FieldKind.Array when type.Element!.IsStruct =>
                $"reader.ReadStructArray<{types.ElementType(type.Element)}>({compact}, version)",
            FieldKind.Array => $"reader.ReadArray({compact}, {ElementReader(type.Element!)})",
            FieldKind.Struct => StructExpression(field, nullable),
            _ => $"reader.{PrimitiveReader(type.Kind)}()",
        };
        if (!type.CanBeNull || type.Kind == FieldKind.Struct || nullable == VersionCondition.Always)
        {
            code.Line($"result.{property} = {expression};");
        }
        else if (nullable == VersionCondition.Never)
        {
            code.Line($"result.{property} = {expression} ?? throw {nullError};");
        }
        else
        {
            code.Line($"result.{property} = {expression};");
            code.Line($"if (result.{property} is null && {VersionCondition.Not(nullable)}) throw {nullError};");
        }
    }

    private string StructExpression(FieldSpec field, string nullable)
    {
        string read = $"{model.QualifiedName(model.StructFor(field.Type))}.Read(reader, version)";
        string maybeNull = $"reader.ReadStructPresence() ? {read} : null";
        return nullable switch
        {
            VersionCondition.Always => maybeNull,
            VersionCondition.Never => read,
            _ => $"{nullable} ? ({maybeNull}) : {read}",
        };
    }

    private void EmitTaggedSection(StructModel target, VersionRange context)
    {
        string flexible = VersionCondition.For(model.Spec.FlexibleVersions, context);
        if (flexible == VersionCondition.Never) return;
        var flexibleContext = context.Intersect(model.Spec.FlexibleVersions);
        var tagged = target.Fields
            .Where(f => f.IsTagged && !FieldVersions.Tagged(f).Intersect(flexibleContext).IsEmpty)
            .OrderBy(f => f.Tag)
            .ToList();
        if (flexible != VersionCondition.Always) code.Open($"if ({flexible})");
        if (tagged.Count == 0)
        {
            code.Line("result.UnknownTaggedFields = reader.ReadTaggedFields();");
        }
        else
        {
            code.Line("List<RawTaggedField>? unknownTaggedFields = null;");
            code.Line("int taggedFieldCount = reader.ReadTaggedFieldCount();");
            code.Open("for (int i = 0; i < taggedFieldCount; i++)");
            code.Line("var (tag, size) = reader.ReadTaggedFieldHeader();");
            code.Line("int start = reader.Position;");
            code.Open("switch (tag)");
            foreach (var field in tagged)
            {
                var versions = FieldVersions.Tagged(field).Intersect(flexibleContext);
                string condition = VersionCondition.For(versions, flexibleContext);
                code.Line(condition == VersionCondition.Always ? $"case {field.Tag}:" : $"case {field.Tag} when {condition}:");
                code.Indent();
                EmitAssignment(target, field, versions);
                code.Line("reader.EndTaggedField(tag, start, size);");
                code.Line("break;");
                code.Outdent();
            }
            code.Line("default:");
            code.Indent();
            code.Line("reader.ReadUnknownTaggedField(tag, size, ref unknownTaggedFields);");
            code.Line("break;");
            code.Outdent();
            code.Close();
            code.Close();
            code.Line("result.UnknownTaggedFields = unknownTaggedFields;");
        }
        if (flexible != VersionCondition.Always) code.Close();
    }

    public static string PrimitiveReader(FieldKind kind) => kind switch
    {
        FieldKind.Bool => "ReadBool",
        FieldKind.Int8 => "ReadInt8",
        FieldKind.Int16 => "ReadInt16",
        FieldKind.UInt16 => "ReadUInt16",
        FieldKind.Int32 => "ReadInt32",
        FieldKind.UInt32 => "ReadUInt32",
        FieldKind.Int64 => "ReadInt64",
        FieldKind.Float64 => "ReadFloat64",
        FieldKind.Uuid => "ReadUuid",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a fixed-size primitive."),
    };

    private static string ElementReader(FieldType element) => element.Kind switch
    {
        FieldKind.String => "static (r, compact) => r.ReadString(compact)",
        FieldKind.Bytes => "static (r, compact) => r.ReadBytes(compact)",
        _ => $"static (r, _) => r.{PrimitiveReader(element.Kind)}()",
    };
}
