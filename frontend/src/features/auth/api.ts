import { api, setAccessToken } from "../../api/client";
import type { AccessToken, LoginRequest, RegisterRequest, User } from "../../api/types";

export function fetchMe(): Promise<User> {
  return api<User>("/api/users/me/");
}

/** Log in through the cookie endpoint: the refresh token becomes an httpOnly cookie. */
export async function logIn(credentials: LoginRequest): Promise<User> {
  const { access } = await api<AccessToken>("/api/users/cookie/login/", { method: "POST", body: credentials });
  setAccessToken(access);
  return fetchMe();
}

export function register(body: RegisterRequest): Promise<User> {
  return api<User>("/api/users/register/", { method: "POST", body });
}

export async function logOut(): Promise<void> {
  try {
    await api<void>("/api/users/cookie/logout/", { method: "POST" });
  } finally {
    setAccessToken(null);
  }
}
