import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import type { Role } from "../../api/types";
import { Field } from "../../components/Field";
import { FormError, fieldErrors } from "../../components/States";
import { register } from "./api";
import { useAuth } from "./AuthProvider";

const FIELDS = ["username", "email", "password", "role"];

export function RegisterPage() {
  const { logIn } = useAuth();
  const navigate = useNavigate();
  const [username, setUsername] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>("student");
  const signUp = useMutation({
    mutationFn: async () => {
      await register({ username, email, password, role });
      return logIn({ email, password });
    },
    onSuccess: () => navigate("/", { replace: true }),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    signUp.mutate();
  }

  const error = signUp.error;
  const onAField = FIELDS.some((field) => fieldErrors(error, field));
  return (
    <section className="narrow">
      <h1>Create an account</h1>
      <form onSubmit={submit} noValidate>
        <FormError error={error && !onAField ? error : null} />
        <Field
          label="Username"
          autoComplete="username"
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          errors={fieldErrors(error, "username")}
        />
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
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          errors={fieldErrors(error, "password")}
        />
        <fieldset className="field">
          <legend>I want to</legend>
          <label className="inline">
            <input type="radio" name="role" value="student" checked={role === "student"} onChange={() => setRole("student")} />
            learn (student)
          </label>
          <label className="inline">
            <input
              type="radio"
              name="role"
              value="instructor"
              checked={role === "instructor"}
              onChange={() => setRole("instructor")}
            />
            teach (instructor)
          </label>
          {fieldErrors(error, "role") && <p className="field-errors">{fieldErrors(error, "role")!.join(" ")}</p>}
        </fieldset>
        <button type="submit" disabled={signUp.isPending}>
          {signUp.isPending ? "Creating your account…" : "Create account"}
        </button>
      </form>
      <p>
        Already registered? <Link to="/login">Log in</Link>
      </p>
    </section>
  );
}
