/** A tiny JSON client for the apps' HTTP APIs. */
export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ApiClient {
  get<T = unknown>(path: string): Promise<ApiResponse<T>>;
  post<T = unknown>(path: string, body?: unknown, extra?: Record<string, string>): Promise<ApiResponse<T>>;
  patch<T = unknown>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  delete<T = unknown>(path: string): Promise<ApiResponse<T>>;
}

export function api(base: string, token?: string): ApiClient {
  const send = async <T>(
    method: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<ApiResponse<T>> => {
    const response = await fetch(base + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...extra,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = (text ? JSON.parse(text) : undefined) as T;
    return { status: response.status, body: parsed, headers: response.headers } satisfies ApiResponse<T>;
  };
  return {
    get: <T = unknown>(path: string) => send<T>('GET', path),
    post: <T = unknown>(path: string, body?: unknown, extra?: Record<string, string>) =>
      send<T>('POST', path, body, extra),
    patch: <T = unknown>(path: string, body?: unknown) => send<T>('PATCH', path, body),
    delete: <T = unknown>(path: string) => send<T>('DELETE', path),
  };
}
