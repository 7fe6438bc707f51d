import { builder } from '../builder.js';

export const VisibilityEnum = builder.enumType('Visibility', { values: ['PUBLIC', 'PRIVATE'] as const });
export const RoleEnum = builder.enumType('Role', { values: ['OWNER', 'MEMBER', 'VIEWER'] as const });
export const PlanEnum = builder.enumType('Plan', { values: ['NONE', 'METERED', 'LICENSED'] as const });
export const PlanLevelEnum = builder.enumType('PlanLevel', {
  values: ['FREE', 'PRO', 'TEAM', 'ENTERPRISE'] as const,
});
