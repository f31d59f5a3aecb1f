import { AuthLayout } from './AuthLayout';
import { AuthForm } from './AuthForm';

export function SignupPage() {
  return (
    <AuthLayout>
      <AuthForm mode="signup" />
    </AuthLayout>
  );
}
