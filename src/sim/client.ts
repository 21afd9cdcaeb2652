import type { ApiServer } from './apiserver';
import type { ApiRequest, ApiResponse } from './apiserver';

/**
 * How clients (our kubectl, the lab engine, the UI) talk to the API server. The in-process
 * client and an HTTP client speak the same REST requests, so kubectl never knows which it has.
 */
export interface ApiClient {
  request(req: ApiRequest): Promise<ApiResponse>;
}

export class InProcessClient implements ApiClient {
  constructor(private readonly server: ApiServer) {}

  async request(req: ApiRequest): Promise<ApiResponse> {
    // Serialise through JSON, as the wire would: callers never share the store's objects.
    const res = this.server.handle(structuredCloneJson(req));
    return { status: res.status, body: structuredCloneJson(res.body) };
  }
}

function structuredCloneJson<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}
