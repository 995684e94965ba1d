-- AlterEnum
ALTER TYPE "api_key_role" ADD VALUE 'alerts';
