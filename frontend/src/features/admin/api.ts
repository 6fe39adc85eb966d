// The admin area's reads and writes, with their TanStack Query keys. Every list's filters live in
// the page's URL exactly as the API takes them: the API validates them, and its 400 names the
// filter it refused, which the screen shows next to that field.
import { api } from "../../api/client";
import { PAGE_SIZE } from "../../components/lists";
import type { components } from "../../api/schema";
import type {
  Course,
  CoursePage,
  Enrollment,
  EnrollmentPage,
  Payment,
  PaymentPage,
  PaymentStatus,
  Role,
} from "../../api/types";

type Schemas = components["schemas"];
export type AdminUser = Schemas["AdminUser"];
export type AdminUserPage = Schemas["PaginatedAdminUserList"];
export type AuditRecord = Schemas["AuditRecord"];
export type AuditPage = Schemas["PaginatedAuditRecordList"];
export type { Course, Enrollment, EnrollmentPage, Payment, PaymentPage, PaymentStatus, Role };

export { PAGE_SIZE };

// Each list's filters, by their API names (lms/*/filters.py, search and ordering in apis.py).
export const USER_FILTERS = ["search", "role", "is_active", "ordering"] as const;
export const PAYMENT_FILTERS = ["student", "course", "status", "ordering"] as const;
export const ENROLLMENT_FILTERS = ["student", "course", "active", "ordering"] as const;
export const AUDIT_FILTERS = ["entity", "entity_id", "actor", "via", "ordering"] as const;

export type Filters<K extends string> = Record<K, string> & { page: number };
/** Any list's filters, as the API calls and query keys take them. */
type ListFilters = { page: number; [key: string]: string | number };

export function readFilters<K extends string>(params: URLSearchParams, keys: readonly K[]): Filters<K> {
  const filters = {} as Record<K, string>;
  for (const key of keys) filters[key] = params.get(key) ?? "";
  const page = Number(params.get("page") ?? "1");
  return { ...filters, page: Number.isInteger(page) && page > 0 ? page : 1 };
}

/** The URL's query for these filters: empty ones and page 1 left out, so links stay short. */
export function writeFilters<K extends string>(filters: Filters<K>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters as ListFilters)) {
    if (key === "page") continue;
    if (typeof value === "string" && value.trim() !== "") params.set(key, value.trim());
  }
  if (filters.page > 1) params.set("page", String(filters.page));
  return params;
}

function listQuery(filters: ListFilters) {
  return { ...filters, page: filters.page > 1 ? filters.page : undefined, page_size: PAGE_SIZE };
}

export const adminKeys = {
  // Every admin change can show up in any admin list (a refund ends an enrollment and writes the
  // audit trail), so mutations invalidate them all.
  all: ["admin"] as const,
  users: (filters: ListFilters) => ["admin", "users", filters] as const,
  payments: (filters: ListFilters) => ["admin", "payments", filters] as const,
  enrollments: (filters: ListFilters) => ["admin", "enrollments", filters] as const,
  audit: (filters: ListFilters) => ["admin", "audit", filters] as const,
  pickStudents: (search: string) => ["admin", "pick", "students", search] as const,
  pickCourses: (search: string) => ["admin", "pick", "courses", search] as const,
};

export function fetchUsers(filters: ListFilters, signal?: AbortSignal): Promise<AdminUserPage> {
  return api<AdminUserPage>("/api/users/", { query: listQuery(filters), signal });
}

export function updateUser(id: number, changes: { role?: Role; is_active?: boolean }): Promise<AdminUser> {
  return api<AdminUser>(`/api/users/${id}/`, { method: "PATCH", body: changes });
}

/** DELETE deactivates the account (its history stays); a PATCH of is_active reactivates it. */
export function deactivateUser(id: number): Promise<void> {
  return api<void>(`/api/users/${id}/`, { method: "DELETE" });
}

export function fetchPayments(filters: ListFilters, signal?: AbortSignal): Promise<PaymentPage> {
  return api<PaymentPage>("/api/payments/", { query: listQuery(filters), signal });
}

/** A refund is of the whole payment, with no body; it ends the enrollment the payment bought. */
export function refundPayment(id: number): Promise<Payment> {
  return api<Payment>(`/api/payments/${id}/refund/`, { method: "POST" });
}

export function fetchEnrollments(filters: ListFilters, signal?: AbortSignal): Promise<EnrollmentPage> {
  return api<EnrollmentPage>("/api/enrollments/", { query: listQuery(filters), signal });
}

/** An admin's complimentary enrollment: `{student, course}`; the API checks both. */
export function grantEnrollment(body: { student?: number; course?: number }): Promise<Enrollment> {
  return api<Enrollment>("/api/enrollments/", { method: "POST", body });
}

/** Ends the enrollment; the row stays with `ended_at` set. */
export function endEnrollment(id: number): Promise<void> {
  return api<void>(`/api/enrollments/${id}/`, { method: "DELETE" });
}

export function fetchAudit(filters: ListFilters, signal?: AbortSignal): Promise<AuditPage> {
  return api<AuditPage>("/api/audit/", { query: listQuery(filters), signal });
}

/** Active students matching a search (username or email), for the grant form's picker. */
export function searchStudents(search: string, signal?: AbortSignal): Promise<AdminUserPage> {
  return api<AdminUserPage>("/api/users/", {
    query: { role: "student", is_active: "true", search, ordering: "username", page_size: PAGE_SIZE },
    signal,
  });
}

/** Courses matching a search (an admin sees drafts too), for the grant form's picker. */
export function searchCourses(search: string, signal?: AbortSignal): Promise<CoursePage> {
  return api<CoursePage>("/api/courses/", { query: { search, ordering: "title", page_size: PAGE_SIZE }, signal });
}
