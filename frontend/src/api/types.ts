// Names for the generated API types (schema.d.ts comes from `make api-types`; never edit it).
import type { components } from "./schema";

type Schemas = components["schemas"];

export type User = Schemas["User"];
export type Role = Schemas["RoleEnum"];
export type Course = Schemas["Course"];
export type CoursePage = Schemas["PaginatedCourseList"];
export type Curriculum = Schemas["Curriculum"];
export type SectionOutline = Schemas["SectionOutline"];
export type LessonOutline = Schemas["LessonOutline"];
export type Lesson = Schemas["Lesson"];
export type Enrollment = Schemas["Enrollment"];
export type EnrollmentPage = Schemas["PaginatedEnrollmentList"];
export type Progress = Schemas["Progress"];
export type LoginRequest = Schemas["LoginRequest"];
export type RegisterRequest = Schemas["RegisterRequest"];
export type AccessToken = Schemas["AccessToken"];
export type Certificate = Schemas["Certificate"];
export type CertificatePage = Schemas["PaginatedCertificateList"];
export type Verification = Schemas["Verification"];
export type Payment = Schemas["Payment"];
export type PaymentPage = Schemas["PaginatedPaymentList"];
export type PaymentStatus = Schemas["PaymentStatusEnum"];
export type PaymentStart = Schemas["PaymentStart"];
export type CourseStatus = Schemas["CourseStatusEnum"];
export type CourseInput = Schemas["CourseInputRequest"];
export type CourseChanges = Schemas["PatchedCourseInputRequest"];
export type Section = Schemas["Section"];
export type SectionInput = Schemas["SectionInputRequest"];
export type LessonKind = Schemas["KindEnum"];
export type LessonInput = Schemas["LessonInputRequest"];
export type LessonChanges = Schemas["PatchedLessonInputRequest"];
export type CurriculumOrder = Schemas["CurriculumOrderRequest"];
export type Review = Schemas["Review"];
export type ReviewPage = Schemas["PaginatedReviewList"];
export type ReviewSummary = Schemas["ReviewSummary"];
