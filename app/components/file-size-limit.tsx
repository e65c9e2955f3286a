/**
 * A file field checked in the browser before its form is sent: a file over the page's limit is refused at the field
 * (the browser's own validation message and a line under the field), so the user never waits for a large upload
 * the server would refuse. The server checks again (front-door.ts and the page's action).
 */
import { useState, type ChangeEvent } from "react";

export function useFileSizeLimit(maxBytes: number, message: string) {
  const [error, setError] = useState<string | null>(null);
  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const tooLarge = [...(input.files ?? [])].some((file) => file.size > maxBytes);
    input.setCustomValidity(tooLarge ? message : "");
    setError(tooLarge ? message : null);
  };
  return { onChange, error };
}

export function FileSizeError({ id, error }: { id: string; error: string | null }) {
  return error ? (
    <p id={id} role="alert" className="text-sm text-red-700">
      {error}
    </p>
  ) : null;
}
