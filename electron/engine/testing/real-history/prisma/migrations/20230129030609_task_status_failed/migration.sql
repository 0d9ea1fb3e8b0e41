-- AlterEnum
ALTER TYPE "TaskStatus" ADD VALUE 'FAILED';
