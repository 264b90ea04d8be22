using Gregor.Codegen.Schema;

namespace Gregor.Codegen.Emit;

/// <summary>Emits a class's <c>Write(KafkaWriter, short)</c> method.</summary>
public sealed class WriteEmitter(MessageModel model, CSharpTypes types, CodeWriter code)
{
    public void Emit(StructModel target, VersionRange context)
    {
        code.Open("public void Write(KafkaWriter writer, short version)");
        if (target.IsTopLevel)
            code.Line($"if (version < LowestSupportedVersion || version > HighestSupportedVersion) throw KafkaProtocolException.UnsupportedVersion(\"{target.ClassName}\", version);");
        foreach (var field in target.Fields) EmitField(target, field, context);
        EmitTaggedSection(target, context);
        code.Close();
    }

    private void EmitField(StructModel target, FieldSpec field, VersionRange context)
    {
        string property = MessageModel.PropertyName(field);
        string fieldLabel = $"{target.ClassName}.{property}";
        if (field.IsTagged)
        {
            // Tagged fields are written in the tagged section; here we only refuse values the version cannot carry.
            string present = VersionCondition.For(field.Versions, context);
            if (!field.Ignorable && present != VersionCondition.Always)
                code.Line($"if ({Join(VersionCondition.Not(present), types.NonDefault(field, property))}) throw KafkaProtocolException.UnsupportedField(\"{fieldLabel}\", version);");
            if (FieldVersions.Regular(field).Intersect(context).IsEmpty) return;
        }
        var regular = FieldVersions.Regular(field).Intersect(context);
        string condition = VersionCondition.For(regular, context);
        if (condition == VersionCondition.Never)
        {
            if (!field.Ignorable && !field.IsTagged)
                code.Line($"if ({types.NonDefault(field, property)}) throw KafkaProtocolException.UnsupportedField(\"{fieldLabel}\", version);");
            return;
        }
        if (condition == VersionCondition.Always)
        {
            EmitValue(field, property, fieldLabel, regular);
            return;
        }
        code.Open($"if ({condition})");
        EmitValue(field, property, fieldLabel, regular);
        code.Close();
        if (!field.Ignorable && !field.IsTagged)
        {
            code.Open($"else if ({types.NonDefault(field, property)})");
            code.Line($"throw KafkaProtocolException.UnsupportedField(\"{fieldLabel}\", version);");
            code.Close();
        }
    }

    /// <summary>Writes one value, given the versions this code can run in.</summary>
    private void EmitValue(FieldSpec field, string access, string fieldLabel, VersionRange versions)
    {
        string compact = VersionCondition.For(model.Spec.FlexibleVersions, versions);
        string nullable = VersionCondition.For(field.NullableVersions, versions);
        string nullGuard = nullable == VersionCondition.Never
            ? $"if ({access} is null) throw KafkaProtocolException.NullField(\"{fieldLabel}\", version);"
            : $"if ({access} is null && {VersionCondition.Not(nullable)}) throw KafkaProtocolException.NullField(\"{fieldLabel}\", version);";
        var type = field.Type;
        if (type.Kind == FieldKind.Struct)
        {
            EmitStructValue(access, nullable, nullGuard);
            return;
        }
        if (type.CanBeNull && nullable != VersionCondition.Always) code.Line(nullGuard);
        switch (type.Kind)
        {
            case FieldKind.String: code.Line($"writer.WriteNullableString({access}, {compact});"); break;
            case FieldKind.Bytes: code.Line($"writer.WriteNullableBytes({access}, {compact});"); break;
            case FieldKind.Records: code.Line($"writer.WriteRecords({access}, {compact});"); break;
            case FieldKind.Array when type.Element!.IsStruct: code.Line($"writer.WriteStructArray({access}, {compact}, version);"); break;
            case FieldKind.Array: code.Line($"writer.WriteArray({access}, {compact}, {ElementWriter(type.Element!)});"); break;
            default: code.Line($"writer.{PrimitiveWriter(type.Kind)}({access});"); break;
        }
    }

    private void EmitStructValue(string access, string nullable, string nullGuard)
    {
        if (nullable == VersionCondition.Always)
        {
            code.Line($"writer.WriteStructPresence({access} is not null);");
            code.Line($"{access}?.Write(writer, version);");
        }
        else if (nullable == VersionCondition.Never)
        {
            code.Line(nullGuard);
            code.Line($"{access}.Write(writer, version);");
        }
        else
        {
            code.Open($"if ({nullable})");
            code.Line($"writer.WriteStructPresence({access} is not null);");
            code.Line($"{access}?.Write(writer, version);");
            code.Close();
            code.Open("else");
            code.Line(nullGuard);
            code.Line($"{access}.Write(writer, version);");
            code.Close();
        }
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
            code.Line("writer.WriteTaggedFields(UnknownTaggedFields);");
        }
        else
        {
            code.Line("int taggedFieldCount = UnknownTaggedFields?.Count ?? 0;");
            foreach (var field in tagged)
            {
                string present = PresentAndSet(field, flexibleContext);
                code.Line($"if ({present}) taggedFieldCount++;");
            }
            code.Line("writer.WriteUnsignedVarInt((uint)taggedFieldCount);");
            code.Line("int unknownIndex = 0;");
            foreach (var field in tagged)
            {
                string property = MessageModel.PropertyName(field);
                code.Line($"writer.WriteRawTaggedFieldsBelow(UnknownTaggedFields, ref unknownIndex, {field.Tag});");
                code.Open($"if ({PresentAndSet(field, flexibleContext)})");
                code.Line($"writer.WriteUnsignedVarInt({field.Tag});");
                code.Line("int start = writer.BeginSizePrefixed();");
                EmitValue(field, property, $"{target.ClassName}.{property}", FieldVersions.Tagged(field).Intersect(flexibleContext));
                code.Line("writer.EndSizePrefixed(start);");
                code.Close();
            }
            code.Line("writer.WriteRawTaggedFieldsBelow(UnknownTaggedFields, ref unknownIndex, int.MaxValue);");
        }
        if (flexible != VersionCondition.Always) code.Close();
    }

    private string PresentAndSet(FieldSpec field, VersionRange flexibleContext) =>
        Join(VersionCondition.For(FieldVersions.Tagged(field), flexibleContext), types.NonDefault(field, MessageModel.PropertyName(field)));

    private static string Join(string versionCondition, string valueCondition) =>
        versionCondition == VersionCondition.Always ? valueCondition : $"{VersionCondition.Paren(versionCondition)} && {valueCondition}";

    public static string PrimitiveWriter(FieldKind kind) => kind switch
    {
        FieldKind.Bool => "WriteBool",
        FieldKind.Int8 => "WriteInt8",
        FieldKind.Int16 => "WriteInt16",
        FieldKind.UInt16 => "WriteUInt16",
        FieldKind.Int32 => "WriteInt32",
        FieldKind.UInt32 => "WriteUInt32",
        FieldKind.Int64 => "WriteInt64",
        FieldKind.Float64 => "WriteFloat64",
        FieldKind.Uuid => "WriteUuid",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a fixed-size primitive."),
    };

    private static string ElementWriter(FieldType element) => element.Kind switch
    {
        FieldKind.String => "static (w, e, compact) => w.WriteString(e, compact)",
        FieldKind.Bytes => "static (w, e, compact) => w.WriteBytes(e, compact)",
        _ => $"static (w, e, _) => w.{PrimitiveWriter(element.Kind)}(e)",
    };
}
