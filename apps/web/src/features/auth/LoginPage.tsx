import { AuthLayout } from './AuthLayout';
import { AuthForm } from './AuthForm';

export function LoginPage() {
  return (
    <AuthLayout>
      <AuthForm mode="login" />
    </AuthLayout>
  );
}
