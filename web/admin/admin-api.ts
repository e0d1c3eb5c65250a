// The staff console's calls to the admin API. With a token they carry it as
// a bearer header; without one the server answers only a local `npm run dev`
// (admin-auth.ts). Uploads go through XMLHttpRequest, the one browser API
// that reports how much of a request body has been sent.
import { ApiClient, ApiError, detailFrom, Unreachable } from "../../scripts/api-client.ts";
import type {
  DeleteFileResponse,
  DeleteSessionResponse,
  InsightsResponse,
  SearchResult,
  SessionListResponse,
  StoredFile,
  UploadResponse,
} from "../../src/http/schemas.ts";

const SESSIONS_PER_PAGE = 20;
const SEARCH_RESULTS = 5;

export class AdminApi {
  readonly #client: ApiClient;
  readonly #token: string | null;

  constructor(token: string | null) {
    this.#token = token;
    this.#client = new ApiClient(location.origin, token ?? undefined);
  }

  files(): Promise<StoredFile[]> {
    return this.#client.get("/files");
  }

  deleteFile(filename: string): Promise<DeleteFileResponse> {
    return this.#client.delete(`/files/${encodeURIComponent(filename)}`);
  }

  search(query: string): Promise<SearchResult[]> {
    return this.#client.get(`/search?${new URLSearchParams({ query, top_k: String(SEARCH_RESULTS) })}`);
  }

  insights(days: number): Promise<InsightsResponse> {
    return this.#client.get(`/insights?days=${days}`);
  }

  /** The report as CSV, with the file name the server gives it. */
  async insightsCsv(days: number): Promise<{ blob: Blob; filename: string }> {
    const response = await this.#client.response(`/insights.csv?days=${days}`);
    const disposition = response.headers.get("content-disposition") ?? "";
    const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `insights-${days}-hari.csv`;
    return { blob: await response.blob(), filename };
  }

  sessions(cursor: string | null): Promise<SessionListResponse> {
    const query = new URLSearchParams({ limit: String(SESSIONS_PER_PAGE) });
    if (cursor) query.set("cursor", cursor);
    return this.#client.get(`/sessions?${query}`);
  }

  deleteSession(sessionId: string): Promise<DeleteSessionResponse> {
    return this.#client.delete(`/conversation/history/${encodeURIComponent(sessionId)}`);
  }

  /** Uploads one file; `onProgress` gets the share of it sent so far (0 to 1). */
  upload(file: File, onProgress: (sent: number) => void): Promise<UploadResponse> {
    const form = new FormData();
    form.append("file", file);
    const request = new XMLHttpRequest();
    request.open("POST", `${location.origin}/upload`);
    if (this.#token) request.setRequestHeader("authorization", `Bearer ${this.#token}`);
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    return new Promise((resolve, reject) => {
      request.addEventListener("load", () => {
        const body = parsed(request.responseText);
        if (request.status >= 200 && request.status < 300) resolve(body as UploadResponse);
        else reject(new ApiError(request.status, detailFrom(body, request.status)));
      });
      request.addEventListener("error", () => reject(new Unreachable(location.origin)));
      request.send(form);
    });
  }
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
