/** What host agents and the control plane tell each other, besides the resources themselves. */
package io.tidepool.api.agent;
