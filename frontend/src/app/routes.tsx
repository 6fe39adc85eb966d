import type { RouteObject } from "react-router";
import { LoginPage } from "../features/auth/LoginPage";
import { RegisterPage } from "../features/auth/RegisterPage";
import { CatalogPage } from "../features/catalog/CatalogPage";
import { CoursePage } from "../features/catalog/CoursePage";
import { LessonPage } from "../features/learning/LessonPage";
import { MyCoursesPage } from "../features/learning/MyCoursesPage";
import { Layout } from "./Layout";
import { NotFoundPage } from "./NotFoundPage";
import { RequireAuth } from "./RequireAuth";

// Every screen's path. Django answers index.html for all of them (config/urls.py), so each is a
// link that can be shared and reloaded. A later area (teaching, admin) adds its routes here,
// lazily loaded into its own chunk.
export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { path: "/", element: <CatalogPage /> },
      { path: "/courses/:courseId", element: <CoursePage /> },
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
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];
