import { useId, type InputHTMLAttributes, type TextareaHTMLAttributes } from "react";

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  /** The API's messages for this field, shown under it and tied to it for screen readers. */
  errors?: string[] | undefined;
}

/** A labelled input with its errors next to it. */
export function Field({ label, errors, id, ...input }: FieldProps) {
  const generated = useId();
  const inputId = id ?? generated;
  const errorId = `${inputId}-errors`;
  const invalid = Boolean(errors && errors.length > 0);
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <input id={inputId} aria-invalid={invalid || undefined} aria-describedby={invalid ? errorId : undefined} {...input} />
      {invalid && (
        <ul id={errorId} className="field-errors">
          {errors!.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

interface TextAreaFieldProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  label: string;
  errors?: string[] | undefined;
}

/** Field's twin for a multi-line text (a description, a lesson's Markdown). */
export function TextAreaField({ label, errors, id, ...textarea }: TextAreaFieldProps) {
  const generated = useId();
  const inputId = id ?? generated;
  const errorId = `${inputId}-errors`;
  const invalid = Boolean(errors && errors.length > 0);
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <textarea
        id={inputId}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? errorId : undefined}
        {...textarea}
      />
      {invalid && (
        <ul id={errorId} className="field-errors">
          {errors!.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
