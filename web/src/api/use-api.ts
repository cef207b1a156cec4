import { useCallback, useEffect, useState } from "preact/hooks";
import { api } from "./client.js";
import { describe } from "../components/errors.js";

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/**
 * GETs `path` (again whenever it or `version` changes). A failed load shows inline where
 * the data would be; the last good data stays visible meanwhile.
 */
export function useApi<T>(path: string | null, version: unknown = 0): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (path === null) return;
    let cancelled = false;
    setLoading(true);
    api
      .get<T>(path)
      .then((value) => {
        if (cancelled) return;
        setData(value);
        setError(null);
      })
      .catch((failure: unknown) => {
        if (!cancelled) setError(describe(failure).message);
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [path, version, tick]);

  const reload = useCallback(() => setTick((value) => value + 1), []);
  return { data, error, loading, reload };
}
