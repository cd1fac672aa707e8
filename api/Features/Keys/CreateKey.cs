using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Keys;

public sealed class CreateKeyRequest
{
    public string Name { get; set; } = "";
    public KeyRole Role { get; set; } = KeyRole.Author;
}

public sealed class CreateKeyValidator : Validator<CreateKeyRequest>
{
    public CreateKeyValidator()
    {
        RuleFor(x => x.Name).NotEmpty().Line(100);
        RuleFor(x => x.Role).IsInEnum();
    }
}

public sealed class CreatedKey
{
    public ApiKeyInfo Info { get; init; } = new();
    /// <summary>The key: shown in this response only.</summary>
    public string Key { get; init; } = "";
}

public sealed class CreateKey(Db db) : Endpoint<CreateKeyRequest, Created<CreatedKey>>
{
    public override void Configure()
    {
        Post("/api/v1/admin/keys");
        Roles(Role.AdminOnly);
        Description(b => b.WithTags("Admin: Keys").ClearDefaultProduces(200).ProducesProblems(401, 403));
        Summary(s =>
        {
            s.Summary = "新建接口密钥 / Create an API key";
            s.Description = "密钥明文只在本次响应中出现,库中只存 SHA-256。角色:author 写草稿,editor 发布与管理栏目等,admin 另管设置与密钥。" +
                " The key appears in this response only; only its SHA-256 is stored. Roles: author (own drafts), editor (publish, columns, messages, partners, links, focus), admin (also settings and keys).";
            s.ExampleRequest = new CreateKeyRequest { Name = "张三(编辑)", Role = KeyRole.Editor };
        });
    }

    public override async Task<Created<CreatedKey>> ExecuteAsync(CreateKeyRequest req, CancellationToken ct)
    {
        var (id, key) = await ApiKeys.CreateAsync(db, req.Name, Json.EnumText(req.Role), ct: ct);
        await using var conn = await db.OpenAsync(ct);
        var row = await conn.QuerySingleAsync<ApiKeyRow>(new CommandDefinition(
            $"SELECT {KeySql.Columns} FROM api_keys WHERE id = @id", new { id }, cancellationToken: ct));
        return TypedResults.Created($"/api/v1/admin/keys/{id}", new CreatedKey { Info = ApiKeyInfo.From(row), Key = key });
    }
}
