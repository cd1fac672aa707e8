using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using FluentValidation.Validators;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Cms.Api.Http;

/// <summary>
/// The validators are the source of truth for what a request may hold: their unconditional rules become the schema's
/// required list, lengths, patterns and ranges, and a new instance of a request type gives the defaults. (No maintained
/// library that maps FluentValidation into Swashbuckle's current OpenAPI model is served here, so this is the mapping.)
/// </summary>
public sealed class ValidatorSchemaFilter : ISchemaFilter
{
    private static readonly ConcurrentDictionary<Type, IValidator[]> ByType = new();

    private static readonly Lazy<Dictionary<Type, List<Type>>> ValidatorTypes = new(() =>
        typeof(ValidatorSchemaFilter).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsGenericTypeDefinition: false } && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (Validator: t, Target: ValidatedType(t)))
            .Where(x => x.Target is not null)
            .GroupBy(x => x.Target!)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Validator).ToList()));

    private static Type? ValidatedType(Type t)
    {
        for (var b = t.BaseType; b is not null; b = b.BaseType)
        {
            if (b.IsGenericType && b.GetGenericTypeDefinition() == typeof(AbstractValidator<>))
                return b.GetGenericArguments()[0];
        }
        return null;
    }

    /// <summary>The validators of a type and of its base types (an update request includes the input's rules).</summary>
    public static IValidator[] For(Type type) => ByType.GetOrAdd(type, t =>
    {
        var result = new List<IValidator>();
        for (var x = t; x is not null && x != typeof(object); x = x.BaseType)
        {
            if (ValidatorTypes.Value.TryGetValue(x, out var types))
                result.AddRange(types.Select(v => (IValidator)Activator.CreateInstance(v)!));
        }
        return [.. result];
    });

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema s || s.Properties is not { Count: > 0 } || context.Type is null)
            return;
        foreach (var validator in For(context.Type))
        {
            foreach (var rule in validator.CreateDescriptor().Rules)
            {
                if (string.IsNullOrEmpty(rule.PropertyName) || rule.HasCondition || rule.HasAsyncCondition)
                    continue;
                var name = JsonNamingPolicy.CamelCase.ConvertName(rule.PropertyName);
                if (!s.Properties.TryGetValue(name, out var prop))
                    continue;
                // RuleForEach constrains the elements, not the list
                var each = rule.GetType().GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition().Name.StartsWith("ICollectionRule", StringComparison.Ordinal));
                foreach (var component in rule.Components)
                {
                    if (component.HasCondition || component.HasAsyncCondition)
                        continue;
                    var check = component.Validator;
                    if (each)
                    {
                        if (prop is OpenApiSchema { Items: OpenApiSchema items })
                            Constrain(items, check);
                        continue;
                    }
                    if (check is INotEmptyValidator or INotNullValidator || ExcludesDefault(check, context.Type.GetProperty(rule.PropertyName, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)))
                    {
                        s.Required ??= new HashSet<string>();
                        s.Required.Add(name);
                    }
                    if (prop is OpenApiSchema p)
                        Constrain(p, check);
                }
            }
        }
        if (IsRequestType(context.Type))
            AddDefaults(s, context.Type);
    }

    /// <summary>Applies one rule to a property's own schema (not through a $ref).</summary>
    public static void Constrain(OpenApiSchema p, IPropertyValidator rule)
    {
        switch (rule)
        {
            case INotEmptyValidator when p.Type?.HasFlag(JsonSchemaType.String) == true:
                p.MinLength = Math.Max(p.MinLength ?? 0, 1);
                break;
            case INotEmptyValidator when p.Type?.HasFlag(JsonSchemaType.Array) == true:
                p.MinItems = Math.Max(p.MinItems ?? 0, 1);
                break;
            case ILengthValidator l:
                if (l.Max > 0)
                    p.MaxLength = p.MaxLength is { } max ? Math.Min(max, l.Max) : l.Max;
                if (l.Min > 0)
                    p.MinLength = Math.Max(p.MinLength ?? 0, l.Min);
                break;
            case IRegularExpressionValidator r:
                p.Pattern = r.Expression;
                break;
            case IBetweenValidator b when IsNumber(b.From) && IsNumber(b.To):
                p.Minimum = Number(b.From);
                p.Maximum = Number(b.To);
                break;
            case IComparisonValidator c when IsNumber(c.ValueToCompare):
                switch (c.Comparison)
                {
                    case Comparison.GreaterThan:
                        p.ExclusiveMinimum = Number(c.ValueToCompare);
                        break;
                    case Comparison.GreaterThanOrEqual:
                        p.Minimum = Number(c.ValueToCompare);
                        break;
                    case Comparison.LessThan:
                        p.ExclusiveMaximum = Number(c.ValueToCompare);
                        break;
                    case Comparison.LessThanOrEqual:
                        p.Maximum = Number(c.ValueToCompare);
                        break;
                }
                break;
        }
    }

    /// <summary>GreaterThan(0) on a plain long: leaving the member out (0) is never valid, so it is required.</summary>
    private static bool ExcludesDefault(IPropertyValidator check, PropertyInfo? prop) =>
        prop is not null && prop.PropertyType.IsValueType && Nullable.GetUnderlyingType(prop.PropertyType) is null
        && check is IComparisonValidator { Comparison: Comparison.GreaterThan, ValueToCompare: int or long } c && Convert.ToInt64(c.ValueToCompare, CultureInfo.InvariantCulture) >= 0;

    private static bool IsNumber(object? v) => v is int or long or short or decimal or double or float;

    private static string Number(object? v) => Convert.ToString(v, CultureInfo.InvariantCulture)!;

    /// <summary>Request DTOs: the types FastEndpoints binds (…Request) and the inputs they derive from.</summary>
    private static bool IsRequestType(Type t) =>
        t.Name.EndsWith("Request", StringComparison.Ordinal) || t.Name.EndsWith("Input", StringComparison.Ordinal);

    private static void AddDefaults(OpenApiSchema s, Type type)
    {
        object? instance;
        try
        {
            instance = type.GetConstructor(Type.EmptyTypes) is null ? null : Activator.CreateInstance(type);
        }
        catch (TargetInvocationException)
        {
            return;
        }
        if (instance is null)
            return;
        foreach (var prop in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(prop.Name);
            if (!s.Properties!.TryGetValue(name, out var schema) || schema is not OpenApiSchema p || p.Default is not null)
                continue;
            var value = prop.GetValue(instance);
            var t = Nullable.GetUnderlyingType(prop.PropertyType) ?? prop.PropertyType;
            if (value is null || !(t.IsPrimitive || t.IsEnum || (t == typeof(string) && (string)value != "")))
                continue;
            p.Default = JsonSerializer.SerializeToNode(value, prop.PropertyType, Json.Options);
        }
    }

    /// <summary>The constraints on one query parameter of a request DTO, for the operation filter.</summary>
    public static (bool Required, List<IPropertyValidator> Rules) QueryRules(Type requestType, string property)
    {
        var required = false;
        var rules = new List<IPropertyValidator>();
        foreach (var validator in For(requestType))
        {
            // FastEndpoints names members as they are spelled in JSON (camelCase)
            var member = validator.CreateDescriptor().GetMembersWithValidators()
                .FirstOrDefault(m => string.Equals(m.Key, property, StringComparison.OrdinalIgnoreCase));
            if (member is null)
                continue;
            foreach (var (rule, options) in member)
            {
                if (options.HasCondition || options.HasAsyncCondition)
                    continue;
                required |= rule is INotEmptyValidator or INotNullValidator;
                rules.Add(rule);
            }
        }
        return (required, rules);
    }

    /// <summary>The value a new request DTO holds for a property (a query parameter's default), or null.</summary>
    public static JsonNode? DefaultOf(Type requestType, PropertyInfo prop)
    {
        if (requestType.GetConstructor(Type.EmptyTypes) is null)
            return null;
        var value = prop.GetValue(Activator.CreateInstance(requestType));
        var t = Nullable.GetUnderlyingType(prop.PropertyType) ?? prop.PropertyType;
        return value is null || !(t.IsPrimitive || t.IsEnum) ? null : JsonSerializer.SerializeToNode(value, prop.PropertyType, Json.Options);
    }
}
