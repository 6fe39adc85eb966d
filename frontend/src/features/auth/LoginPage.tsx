import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { Field } from "../../components/Field";
import { FormError, fieldErrors } from "../../components/States";
import { useAuth } from "./AuthProvider";

/** Only a path inside the app may be a `next`: never another site. */
export function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export function LoginPage() {
  const { logIn } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const login = useMutation({
    mutationFn: () => logIn({ email, password }),
    onSuccess: () => navigate(safeNext(params.get("next")), { replace: true }),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    login.mutate();
  }

  const error = login.error;
  return (
    <section className="narrow">
      <h1>Log in</h1>
      <form onSubmit={submit} noValidate>
        <FormError error={error && !fieldErrors(error, "email") && !fieldErrors(error, "password") ? error : null} />
        <Field
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          errors={fieldErrors(error, "email")}
        />
        <Field
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          errors={fieldErrors(error, "password")}
        />
        <button type="submit" disabled={login.isPending}>
          {login.isPending ? "Logging in…" : "Log in"}
        </button>
      </form>
      <p>
        No account yet? <Link to="/register">Register</Link>
      </p>
    </section>
  );
}
