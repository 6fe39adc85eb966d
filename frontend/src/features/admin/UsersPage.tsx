import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { useAuth } from "../auth/AuthProvider";
import {
  USER_FILTERS,
  adminKeys,
  deactivateUser,
  fetchUsers,
  updateUser,
  type AdminUser,
  type Role,
} from "./api";
import { ActionError, ConfirmAction, FilterForm, ListView, formatDateTime, useUrlFilters, type FilterSpec } from "./parts";

const ROLES: { value: Role; label: string }[] = [
  { value: "student", label: "Student" },
  { value: "instructor", label: "Instructor" },
  { value: "admin", label: "Admin" },
];

const SPECS: FilterSpec<(typeof USER_FILTERS)[number]>[] = [
  { name: "search", label: "Search username or email", kind: "search" },
  { name: "role", label: "Role", kind: "select", options: [{ value: "", label: "Any role" }, ...ROLES] },
  {
    name: "is_active",
    label: "Status",
    kind: "select",
    options: [
      { value: "", label: "Any status" },
      { value: "true", label: "Active" },
      { value: "false", label: "Deactivated" },
    ],
  },
  {
    name: "ordering",
    label: "Sort by",
    kind: "select",
    options: [
      { value: "", label: "Id" },
      { value: "username", label: "Username, A to Z" },
      { value: "-date_joined", label: "Newest first" },
      { value: "date_joined", label: "Oldest first" },
    ],
  },
];

/** Accounts: find them, change a role (promote or demote), deactivate and reactivate. */
export function UsersPage() {
  const { filters, update, key } = useUrlFilters(USER_FILTERS);
  const users = useQuery({
    queryKey: adminKeys.users(filters),
    queryFn: ({ signal }) => fetchUsers(filters, signal),
    placeholderData: keepPreviousData,
  });

  return (
    <section>
      <h1>Users</h1>
      <FilterForm key={key} label="Filter users" specs={SPECS} filters={filters} error={users.error} onApply={update} />
      <ListView
        query={users}
        page={filters.page}
        onPage={(page) => update({ page })}
        noun={["user", "users"]}
        empty="No user matches these filters."
      >
        {(rows) => (
          <table className="admin-table">
            <caption className="visually-hidden">Users</caption>
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">User</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Joined</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((user) => (
                <UserRow key={user.id} user={user} />
              ))}
            </tbody>
          </table>
        )}
      </ListView>
    </section>
  );
}

function UserRow({ user }: { user: AdminUser }) {
  const { user: me } = useAuth();
  const queryClient = useQueryClient();
  const [role, setRole] = useState<Role>(user.role);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: adminKeys.all });
  const changeRole = useMutation({ mutationFn: () => updateUser(user.id, { role }), onSuccess: invalidate });
  const deactivate = useMutation({ mutationFn: () => deactivateUser(user.id), onSuccess: invalidate });
  const reactivate = useMutation({ mutationFn: () => updateUser(user.id, { is_active: true }), onSuccess: invalidate });
  const error = changeRole.error ?? deactivate.error ?? reactivate.error;
  // One action's outcome at a time: starting one clears the others' errors.
  const run = (action: typeof changeRole | typeof deactivate) => {
    for (const other of [changeRole, deactivate, reactivate]) if (other !== action) other.reset();
    action.mutate();
  };
  const isMe = me?.id === user.id;

  return (
    <tr>
      <td data-label="Id">{user.id}</td>
      <td data-label="User">
        <strong>{user.username}</strong>
        {isMe && <span className="badge">You</span>}
        <br />
        <span className="muted">{user.email}</span>
      </td>
      <td data-label="Role">{ROLES.find((r) => r.value === user.role)?.label ?? user.role}</td>
      <td data-label="Status">
        {user.is_active ? <span className="badge badge-done">Active</span> : <span className="badge badge-off">Deactivated</span>}
      </td>
      <td data-label="Joined">{formatDateTime(user.date_joined)}</td>
      <td data-label="Actions">
        <div className="row-actions">
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              run(changeRole);
            }}
          >
            <label htmlFor={`role-${user.id}`} className="visually-hidden">
              New role for {user.username}
            </label>
            <select id={`role-${user.id}`} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
            <button
              type="submit"
              className="secondary"
              aria-label={`Change role of ${user.username}`}
              disabled={role === user.role || changeRole.isPending}
            >
              {changeRole.isPending ? "Saving…" : "Change role"}
            </button>
          </form>
          {user.is_active ? (
            <ConfirmAction
              label={`Deactivate ${user.username}`}
              question={`Deactivate ${user.username}? They are signed out and cannot log in; their history stays.`}
              confirmLabel="Yes, deactivate"
              pendingLabel="Deactivating…"
              pending={deactivate.isPending}
              done={deactivate.isSuccess}
              onConfirm={() => run(deactivate)}
            />
          ) : (
            <button type="button" className="secondary" disabled={reactivate.isPending} onClick={() => run(reactivate)}>
              {reactivate.isPending ? "Reactivating…" : `Reactivate ${user.username}`}
            </button>
          )}
          {user.role === "student" && (
            <span className="row-links">
              <Link to={`/manage/payments?student=${user.id}`} aria-label={`Payments of ${user.username}`}>
                Payments
              </Link>
              <Link to={`/manage/enrollments?student=${user.id}`} aria-label={`Enrollments of ${user.username}`}>
                Enrollments
              </Link>
            </span>
          )}
        </div>
        <ActionError error={error} />
      </td>
    </tr>
  );
}
