import { api } from "../../api/client";
import type { CoursePage } from "../../api/types";

export const PAGE_SIZE = 12;

/** The catalog's filters, exactly as they appear in the page's URL. */
export interface CatalogFilters {
  search: string;
  is_free: "" | "true" | "false";
  min_price: string;
  max_price: string;
  min_rating: string;
  ordering: string;
  page: number;
}

export function readFilters(params: URLSearchParams): CatalogFilters {
  const isFree = params.get("is_free");
  const page = Number(params.get("page") ?? "1");
  return {
    search: params.get("search") ?? "",
    is_free: isFree === "true" || isFree === "false" ? isFree : "",
    min_price: params.get("min_price") ?? "",
    max_price: params.get("max_price") ?? "",
    min_rating: params.get("min_rating") ?? "",
    ordering: params.get("ordering") ?? "",
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

/** The URL's query for these filters: defaults left out, so links stay short. */
export function writeFilters(filters: CatalogFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.search) params.set("search", filters.search);
  if (filters.is_free) params.set("is_free", filters.is_free);
  if (filters.min_price) params.set("min_price", filters.min_price);
  if (filters.max_price) params.set("max_price", filters.max_price);
  if (filters.min_rating) params.set("min_rating", filters.min_rating);
  if (filters.ordering) params.set("ordering", filters.ordering);
  if (filters.page > 1) params.set("page", String(filters.page));
  return params;
}

export const catalogListKey = (filters: CatalogFilters) => ["courses", "list", filters] as const;

export function fetchCourses(filters: CatalogFilters, signal?: AbortSignal): Promise<CoursePage> {
  return api<CoursePage>("/api/courses/", {
    query: { ...filters, page_size: PAGE_SIZE, page: filters.page > 1 ? filters.page : undefined },
    signal,
  });
}
