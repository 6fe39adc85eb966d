import { lazy } from "react";
import type { RouteObject } from "react-router";
import { LoginPage } from "../features/auth/LoginPage";
import { RegisterPage } from "../features/auth/RegisterPage";
import { CatalogPage } from "../features/catalog/CatalogPage";
import { CoursePage } from "../features/catalog/CoursePage";
import { Layout } from "./Layout";
import { NotFoundPage } from "./NotFoundPage";
import { RequireAuth } from "./RequireAuth";

// Areas a visitor does not need load as their own chunks (Layout's <Suspense> shows their
// loading state): the catalog's first load stays small; the teaching and admin areas are chunks too.
const LessonPage = lazy(() => import("../features/learning/LessonPage").then((m) => ({ default: m.LessonPage })));
const MyCoursesPage = lazy(() =>
  import("../features/learning/MyCoursesPage").then((m) => ({ default: m.MyCoursesPage })),
);
const AdminArea = lazy(() => import("../features/admin/AdminArea").then((m) => ({ default: m.AdminArea })));
const TeachArea = lazy(() => import("../features/teach/TeachArea").then((m) => ({ default: m.TeachArea })));
const CertificatesPage = lazy(() =>
  import("../features/certificates/CertificatesPage").then((m) => ({ default: m.CertificatesPage })),
);
// Stripe.js and its React bindings load only with the checkout.
const CheckoutPage = lazy(() => import("../features/payments/CheckoutPage").then((m) => ({ default: m.CheckoutPage })));
const MyPaymentsPage = lazy(() =>
  import("../features/payments/MyPaymentsPage").then((m) => ({ default: m.MyPaymentsPage })),
);
// Opened by strangers from a shared link or a QR code: its own small chunk.
const VerifyPage = lazy(() => import("../features/certificates/VerifyPage").then((m) => ({ default: m.VerifyPage })));

// Every screen's path. Django answers index.html for all of them (config/urls.py), so each is a
// link that can be shared and reloaded.
export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { path: "/", element: <CatalogPage /> },
      { path: "/courses/:courseId", element: <CoursePage /> },
      {
        path: "/courses/:courseId/checkout",
        element: (
          <RequireAuth>
            <CheckoutPage />
          </RequireAuth>
        ),
      },
      { path: "/courses/:courseId/lessons/:lessonId", element: <LessonPage /> },
      { path: "/login", element: <LoginPage /> },
      { path: "/register", element: <RegisterPage /> },
      {
        path: "/my-courses",
        element: (
          <RequireAuth>
            <MyCoursesPage />
          </RequireAuth>
        ),
      },
      {
        // The admin area routes its own screens (features/admin/AdminArea.tsx).
        path: "/manage/*",
        element: (
          <RequireAuth>
            <AdminArea />
          </RequireAuth>
        ),
      },
      {
        path: "/my-payments",
        element: (
          <RequireAuth>
            <MyPaymentsPage />
          </RequireAuth>
        ),
      },
      {
        // The teaching area routes its own screens (features/teach/TeachArea.tsx).
        path: "/teach/*",
        element: (
          <RequireAuth roles={["instructor", "admin"]}>
            <TeachArea />
          </RequireAuth>
        ),
      },
      {
        path: "/certificates",
        element: (
          <RequireAuth>
            <CertificatesPage />
          </RequireAuth>
        ),
      },
      { path: "/verify/:code", element: <VerifyPage /> },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];
