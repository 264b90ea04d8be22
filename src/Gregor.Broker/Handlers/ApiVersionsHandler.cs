using Gregor.Broker.Network;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Handlers;

/// <summary>ApiVersions (key 18): tells a client which API versions it may use.</summary>
internal sealed class ApiVersionsHandler(Func<IReadOnlyList<ApiHandler>> supported)
    : ApiHandler<ApiVersionsRequest, ApiVersionsResponse>
{
    public override ApiKey Key => ApiKey.ApiVersions;
    public override short MinVersion => 0;
    public override short MaxVersion => 3;


    protected override ValueTask<ApiVersionsResponse?> HandleAsync(RequestContext context, ApiVersionsRequest request) =>
        new(Build(ErrorCode.None, supported()));

    /// <summary>The answer to an ApiVersions version newer than ours: UNSUPPORTED_VERSION in v0 format.</summary>
    public static ResponseFrame UnsupportedVersionResponse(int correlationId, IReadOnlyList<ApiHandler> supported)
    {
        ApiVersionsResponse response = Build(ErrorCode.UnsupportedVersion, supported);
        return ResponseEncoder.Encode(correlationId, headerVersion: 0, writer => response.Write(writer, 0));
    }

    private static ApiVersionsResponse Build(ErrorCode error, IReadOnlyList<ApiHandler> supported)
    {
        var response = new ApiVersionsResponse { ErrorCode = (short)error };
        foreach (ApiHandler handler in supported)
        {
            response.ApiKeys.Add(new ApiVersionsResponse.ApiVersion
            {
                ApiKey = (short)handler.Key,
                MinVersion = handler.MinVersion,
                MaxVersion = handler.MaxVersion,
            });
        }
        return response;
    }
}
